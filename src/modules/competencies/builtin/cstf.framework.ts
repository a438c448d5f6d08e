// The Core Skills Training Framework subjects for statutory and mandatory training. Subjects, levels and
// refresher periods follow ../shared/frameworks/cstf.json; every sentence here is Tessera's own.
import type { BuiltinFramework } from './builtin.types.js';

/** Said of refresher periods that are the usual CSTF values but have not been checked against the subject guide. */
const UNCHECKED =
  'The refresher period is the usual CSTF value and has not yet been checked against the subject guide.';

/** The statutory and mandatory training subjects, with the levels they are trained at and how often. */
export const cstfFramework: BuiltinFramework = {
  key: 'cstf',
  title: 'Core Skills Training Framework: statutory and mandatory training',
  description:
    'Tessera’s own wording for the statutory and mandatory training subjects, structured on the public UK Core Skills Training Framework (England). ' +
    'Each subject lists the levels it is trained at and how often that training is usually refreshed. ' +
    'Employers may set shorter refresher periods, and some periods shown are usual values still to be checked against the CSTF subject guide.',
  creator: 'Tessera',
  publisher: 'Tessera',
  version: 'England v1.0 (2020)',
  basedOn:
    'UK Core Skills Training Framework (CSTF), Skills for Health (with HEE/NHS England). Source: https://www.mandatorytraining.co.uk/blogs/statutory-and-mandatory-training-courses/how-often-should-cstf-statutory-and-mandatory-training-be-refreshed',
  levels: [
    {
      level: 1,
      label: 'Level 1',
      description: 'Basic awareness for everyone who works in health and care, whatever their role.',
    },
    {
      level: 2,
      label: 'Level 2',
      description:
        'For staff who work directly with patients, service users or their families, or who need practical skills in the subject.',
    },
    {
      level: 3,
      label: 'Level 3',
      description:
        'For staff with specialist or lead responsibilities in the subject, such as assessing, planning or acting on concerns.',
    },
  ],
  items: [
    {
      key: 'EDHR',
      code: 'CSTF.EDHR',
      type: 'Subject',
      abbreviated: 'Equality, Diversity and Human Rights',
      statement:
        'Treats colleagues, patients and the public fairly and with respect, and recognises discrimination and knows how to challenge or report it. Understands how equality law and human rights apply to everyday work in health and care.',
      levels: [{ level: 1, refresherMonths: 36 }],
    },
    {
      key: 'HSW',
      code: 'CSTF.HSW',
      type: 'Subject',
      abbreviated: 'Health, Safety and Welfare',
      statement:
        'Works safely, spots hazards and reports incidents, near misses and unsafe conditions. Knows the health and safety duties of staff and employers, including risk assessment, and where to find help.',
      levels: [{ level: 1, refresherMonths: 36 }],
    },
    {
      key: 'CR',
      code: 'CSTF.CR',
      type: 'Subject',
      abbreviated: 'Conflict Resolution',
      statement:
        'Notices the early signs of frustration or aggression and uses calm, clear communication to ease tense situations. Knows how to keep themselves and others safe and how to report an incident.',
      notes: 'Level 1 is for staff who deal with patients or the public.',
      levels: [{ level: 1, refresherMonths: 36 }],
    },
    {
      key: 'FS',
      code: 'CSTF.FS',
      type: 'Subject',
      abbreviated: 'Fire Safety',
      statement:
        'Knows how fires start and spread and how to prevent them, and what to do if one breaks out, from raising the alarm to evacuating safely. Knows the fire procedures, exits and equipment in their own workplace.',
      notes:
        'Usually e-learning at induction, then a refresher at the staff member’s own site every two years; some trusts ask clinical staff to refresh every year.',
      levels: [{ level: 1, refresherMonths: 24 }],
    },
    {
      key: 'IPC',
      code: 'CSTF.IPC',
      type: 'Subject',
      abbreviated: 'Infection Prevention and Control',
      statement:
        'Uses standard precautions, such as hand hygiene, personal protective equipment and safe handling of waste and sharps, to stop infections spreading. Knows when to seek advice and how to report concerns.',
      notes: 'Level 2 is for clinical and healthcare staff.',
      levels: [
        { level: 1, refresherMonths: 36 },
        { level: 2, refresherMonths: 12 },
      ],
    },
    {
      key: 'MH',
      code: 'CSTF.MH',
      type: 'Subject',
      abbreviated: 'Moving and Handling',
      statement:
        'Assesses the risk before moving a load, or a person where the role requires it, and uses safe techniques and equipment. Understands how poor handling causes injury and how to report problems.',
      notes:
        'Level 2 is for roles that involve moving and handling people. The level 1 period is the usual CSTF value, not yet checked against the subject guide; some employers ask for level 1 only once.',
      levels: [
        { level: 1, refresherMonths: 36 },
        { level: 2, refresherMonths: 24 },
      ],
    },
    {
      key: 'SGA',
      code: 'CSTF.SGA',
      type: 'Subject',
      abbreviated: 'Safeguarding Adults',
      statement:
        'Recognises signs that an adult may be at risk of abuse or neglect and knows how to respond and raise a concern through the right route. Takes account of the person’s wishes, consent and when information should be shared.',
      notes: UNCHECKED,
      levels: [
        { level: 1, refresherMonths: 36 },
        { level: 2, refresherMonths: 36 },
        { level: 3, refresherMonths: 36 },
      ],
    },
    {
      key: 'PREVENT',
      code: 'CSTF.PREVENT',
      type: 'Subject',
      abbreviated: 'Preventing Radicalisation',
      statement:
        'Recognises when someone may be vulnerable to being drawn into terrorism or extremism and knows how to raise a concern through local safeguarding procedures. Understands what the Prevent duty asks of health and care staff.',
      notes: `Levels 1 and 2 are awareness training; level 3 is the fuller Prevent (WRAP) training. ${UNCHECKED}`,
      levels: [
        { level: 1, refresherMonths: 36 },
        { level: 2, refresherMonths: 36 },
        { level: 3, refresherMonths: 36 },
      ],
    },
    {
      key: 'SGC',
      code: 'CSTF.SGC',
      type: 'Subject',
      abbreviated: 'Safeguarding Children',
      statement:
        'Recognises signs that a child or young person may be at risk of harm and knows how to act on and report concerns without delay. Understands their own responsibilities and how agencies work together to protect children.',
      notes: `At level 3 the intercollegiate guidance also expects a set number of hours of learning over the three years. ${UNCHECKED}`,
      levels: [
        { level: 1, refresherMonths: 36 },
        { level: 2, refresherMonths: 36 },
        { level: 3, refresherMonths: 36 },
      ],
    },
    {
      key: 'RESUS',
      code: 'CSTF.RESUS',
      type: 'Subject',
      abbreviated: 'Resuscitation',
      statement:
        'Recognises when a person has stopped breathing or their heart has stopped, calls for help and starts basic life support, using a defibrillator where one is available. Knows the emergency procedures for their setting.',
      notes: `Level 1 is basic life support; level 2 is basic life support for adults, children or newborns as the role requires. ${UNCHECKED}`,
      levels: [
        { level: 1, refresherMonths: 12 },
        { level: 2, refresherMonths: 12 },
      ],
    },
    {
      key: 'IG',
      code: 'CSTF.IG',
      type: 'Subject',
      abbreviated: 'Information Governance and Data Security',
      statement:
        'Handles personal and confidential information lawfully and securely, shares it only when it is right to, and recognises and reports data breaches and cyber threats. Understands the main duties of data protection and confidentiality.',
      notes: `Refreshed every year, in line with the Data Security and Protection Toolkit. ${UNCHECKED}`,
      levels: [{ level: 1, refresherMonths: 12 }],
    },
  ],
};
