/**
 * The commented shipguard.yaml that `shipguard init` writes. Every value shown is the default,
 * so the file documents the policy and changes nothing until edited.
 */
export const policyTemplate = `# shipguard policy: how this repository is held to the secure-development controls.
# Every field is optional; the values below are the defaults (secure by default).
# Unknown keys are an error, so a typo never silently weakens the policy.
version: 1

# The lowest severity of a failing control that makes \`shipguard assess\` exit 1:
# critical | high | medium | low | info | none
failOn: high
# Strict mode: unknown controls of this severity or above also make it exit 1 (default none).
failOnUnknown: none

# The audit period history-based controls judge (review, signatures, traceability), both days
# included; default: the 12 months up to the assessment. \`--period\` overrides it.
# auditPeriod: 2026-01-01..2026-06-30

# The weakest evidence a control may pass on: declared (typed: attestations, commit trailers) <
# signed (a record signed by an authenticated principal) < verified (shipguard read or checked it).
evidence:
  minimumLevel:
    critical: signed
    high: signed
    medium: declared
    low: declared
    info: declared
  # controls:                      # per control, overriding its severity's minimum
  #   DEV-07: verified
  # Results imported with \`shipguard evidence import\` older than this no longer count.
  importMaxAgeDays: 30

thresholds:
  # Share of files (0 to 1) that CODEOWNERS must assign to an owner.
  codeownersCoverage: 0.8
  # A runtime reaching end of life within this many days is flagged.
  endOfLifeWarningDays: 90
  # The bundled end-of-life dataset counts as stale after this many days.
  endOfLifeDatasetMaxAgeDays: 180

# Source-control evidence from the default branch's history (shipguard review).
review:
  # defaultBranch: main            # default: origin/HEAD's target, else main or master
  # last: 1000                     # at most the newest N changes (a cap that cuts the audit period
  #                                # makes history controls unknown; shipguard review: default 1000)
  # since: 2026-01-01              # shipguard review only: changes since this date
  coverageThreshold: 1             # share of changes that must carry review evidence
  signedChangesThreshold: 1        # share of changes with a verified signature (0 passes nothing)
  # allowedSignersFile: .github/allowed_signers   # ssh allowed_signers, to verify SSH signatures
  # forge:                         # ask the forge for approvals (read-only token)
  #   kind: github                 # github | gitlab
  #   project: acme/service
  #   tokenEnv: SHIPGUARD_FORGE_TOKEN  # the variable's name, never the token

# Backups of the repository: local bundle files or mirror folders, checked for recency.
backups:
  locations: []
  #  - /srv/backups/service.bundle
  maxAgeDays: 7

# Delivery pipelines, environments and test data (see docs/pipelines.md).
# pipelines:
#   # Owners whose actions count as first-party like actions/*: an unpinned one is low severity.
#   trustedActionOwners: []
#   # Environment names that count as production besides *prod*, *production*, *live*.
#   productionEnvironments: []
#   testData:
#     # Paths (prefix or glob) whose test data is not scanned for personal data.
#     allowPaths: []
#     # E-mail domains accepted in test data besides example.com/.org/.net, *.test, *.example, *.invalid.
#     allowEmailDomains: []

# Dependencies and advisories (see docs/supply-chain.md).
# supplyChain:
#   # Days to fix a vulnerable dependency after the advisory is published, per severity.
#   slaDays:
#     critical: 7
#     high: 30
#     medium: 90
#     low: 180
#   # Older advisory data makes the vulnerability checks unknown (run \`shipguard advisories sync\`).
#   advisoryDatabaseMaxAgeDays: 7
#   updateWindowDays: 7            # update automation must run at least this often
#   # Where packages and images may come from: each ecosystem's public registry (the default of its
#   # package manager) unless publicRegistries is false, and these hosts ("*.example.com" for a domain).
#   publicRegistries: true
#   trustedRegistries: []

# The deploy gate and change control (see docs/gate.md). Environments named prod or production
# get every rule, a Friday 15:00 to Monday 08:00 freeze and a required change by default.
# A real gate decision reads this section (and the files it names) from the protected default
# branch, never from the commit being deployed: change it through a reviewed merge.
# gate:
#   environments:
#     production:
#       timeZone: Europe/London
#       # rules: [provenance, source-reviewed, secrets, vulnerabilities, sbom, assessment,
#       #         change, separation-of-duties, freeze, responders]
#       freezes:
#         - name: weekend
#           from: friday 15:00
#           to: monday 08:00
#       holidayCalendars: [ops/bank-holidays.ics]
#       leaveCalendars: [ops/leave.ics]
#       responders:
#         people: [alice, bob, carol]
#         minimum: 2
#         withinHours: 24
#       vulnerabilityThreshold: high
#       trustedKeys: [keys/release.pub]
#       # vexTrustedKeys: [keys/security.pub]   # who may sign VEX (default: trustedKeys)
#       # builderId: https://github.com/acme/service/.github/workflows/release.yml
#       deployerMustDifferFromAuthor: true
#   changes:
#     normalApprovals: 1
#     majorApprovals: 2
#     majorApproverRole: change-manager
#     roles:
#       carol: [change-manager]
#     standardTemplates:
#       - id: dependency-patch
#         description: Patch-level dependency update with passing CI.
#     emergencyReviewHours: 72

# Controls that do not apply to this repository, each with the reason (shown in every report).
controls: {}
#  PIP-02:
#    applicable: false
#    reason: This repository is a library; it deploys no infrastructure.

# Risk acceptances: a control or one finding (by fingerprint), with an owner, an approver and an
# expiry date. An expired exception stops applying and is itself reported.
exceptions: []
#  - fingerprint: 3f9a0c1d2e4b5a6978877665544332211
#    reason: Test fixture key, generated for the test suite and never used anywhere.
#    owner: alice
#    approver: bob
#    expires: 2027-06-30

# Records the policy asks for (training, penetration tests, reviews), until \`shipguard serve\`
# keeps them. A record older than its control's cadence makes the control fail.
attestations: []
#  - control: AWR-01
#    date: 2026-03-01
#    by: ISMS manager
#    evidence: Annual security awareness training completed by all developers (HR report 2026-03).
`;
