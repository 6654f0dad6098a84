import { z } from 'zod';
import { calendarDate, personId, text } from './common.js';
import { defineKind } from './types.js';

export const trainingKinds = ['annual-awareness', 'secure-coding', 'external'] as const;

export const training = defineKind({
  kind: 'training',
  title: 'Training completion',
  catalogType: 'training',
  data: z
    .strictObject({
      person: personId,
      course: text(200),
      courseVersion: text(50).optional(),
      trainingKind: z.enum(trainingKinds),
      completed: calendarDate,
      expires: calendarDate.optional(),
      /** For external training: the certificate's evidence file name (kept as record evidence). */
      certificate: text(200).optional(),
    })
    .refine((data) => data.expires === undefined || data.expires >= data.completed, {
      message: 'expires is before completed',
      path: ['expires'],
    }),
  subject: (data) => `${data.person}/${data.trainingKind}`,
  csvColumns: {
    person: 'person',
    course: 'course',
    courseVersion: 'course_version',
    trainingKind: 'kind',
    completed: 'completed',
    expires: 'expires',
    certificate: 'certificate',
  },
  fromCsv(values) {
    const data: Record<string, string> = {};
    for (const [field, value] of Object.entries(values)) if (value !== '') data[field] = value;
    if (data['trainingKind'])
      data['trainingKind'] = data['trainingKind'].toLowerCase().replace(/[\s_]+/g, '-');
    return data;
  },
});
