/**
 * Detectors of real-looking personal data (e-mail addresses at real domains, card numbers, UK
 * National Insurance numbers, IBANs, phone numbers, SQL user dumps) in text, each bounded and
 * validated, returning masked values only.
 */
export {
  type DetectOptions,
  detectPersonalData,
  ibanValid,
  luhnValid,
  type PersonalDataKind,
  type PersonalDataMatch,
} from './detect.js';
