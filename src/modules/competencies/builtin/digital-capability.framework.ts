// A digital capability framework for health and care staff: the six domains of the public framework
// (../shared/frameworks/digital-capabilities-framework.json) with capability statements in Tessera's own words.
// It drives the digital skills self-assessment open to every learner.
import type { BuiltinFramework, BuiltinItem } from './builtin.types.js';

/** A capability statement; its code follows from its key. */
function capability(key: string, abbreviated: string, statement: string): BuiltinItem {
  return { key, code: `DCF.${key}`, type: 'Capability', statement, abbreviated };
}

/** The six domains of digital capability, each with the capabilities a health and care worker can show. */
export const digitalCapabilityFramework: BuiltinFramework = {
  key: 'digital-capability',
  title: 'Digital capability for health and care',
  description:
    'Tessera’s own wording for the digital capabilities health and care staff use every day, structured on the six domains of the public Health and Care Digital Capabilities Framework. ' +
    'Each capability is rated on a four-level scale from foundation to expert, and together they make up the digital skills self-assessment open to every learner.',
  creator: 'Tessera',
  publisher: 'Tessera',
  version: '2018',
  basedOn:
    'A Health and Care Digital Capabilities Framework, Health Education England (2017; revised 2018). Source: https://scadmin.rcn.org.uk/clinical-topics/ehealth/digital-skills',
  levels: [
    {
      level: 1,
      label: 'Foundation',
      description: 'Uses everyday digital tools and services with some support and knows when to ask for help.',
    },
    {
      level: 2,
      label: 'Intermediate',
      description: 'Uses digital tools confidently and without help for the routine tasks of the role.',
    },
    {
      level: 3,
      label: 'Proficient',
      description:
        'Adapts digital tools to new situations, solves problems and helps colleagues to build their skills.',
    },
    {
      level: 4,
      label: 'Expert',
      description: 'Leads, shapes and improves digital practice across a team, service or organisation.',
    },
  ],
  items: [
    {
      key: '1',
      code: 'DCF.1',
      type: 'Domain',
      statement: 'Digital identity, wellbeing, safety and security',
      abbreviated: 'Identity, wellbeing, safety and security',
      notes: 'Staying safe, secure and well when working digitally, and helping the people cared for to do the same.',
      children: [
        capability(
          '1.1',
          'Keeps accounts and devices secure',
          'Keeps passwords, smartcards and devices secure, locks the screen when stepping away and installs updates when prompted.',
        ),
        capability(
          '1.2',
          'Spots and reports phishing and scams',
          'Recognises phishing emails, suspicious links and other scams, and reports them through the organisation’s cyber security route.',
        ),
        capability(
          '1.3',
          'Professional online presence',
          'Uses social media and messaging in line with professional codes of conduct and the employer’s policies, keeping personal and professional identities apart.',
        ),
        capability(
          '1.4',
          'Wellbeing when working digitally',
          'Looks after their own wellbeing when working digitally by managing screen time, notifications and a comfortable workstation set-up.',
        ),
        capability(
          '1.5',
          'Helps others stay safe online',
          'Helps patients, carers and colleagues stay safe online, for example by pointing them to trusted health websites and apps.',
        ),
      ],
    },
    {
      key: '2',
      code: 'DCF.2',
      type: 'Domain',
      statement: 'Communication, collaboration and participation',
      notes: 'Communicating and working with colleagues, patients and the public through digital channels.',
      children: [
        capability(
          '2.1',
          'Professional email and messaging',
          'Uses email, instant messaging and shared calendars professionally, choosing a secure channel that suits the information being sent.',
        ),
        capability(
          '2.2',
          'Online meetings and video calls',
          'Joins and hosts online meetings, sharing a screen and using chat, captions, breakout rooms and other meeting tools.',
        ),
        capability(
          '2.3',
          'Video and telephone consultations',
          'Carries out video or telephone consultations safely, checking the patient’s identity, consent, privacy and access to the technology.',
        ),
        capability(
          '2.4',
          'Collaborates on shared documents',
          'Works with colleagues on shared documents and team spaces, keeping versions, permissions and comments in order.',
        ),
        capability(
          '2.5',
          'Accessible, inclusive communication',
          'Communicates in accessible and inclusive ways, using plain language, captions, image descriptions and formats that work with assistive technology.',
        ),
        capability(
          '2.6',
          'Helps patients use digital services',
          'Supports patients and carers to use digital services such as online records, repeat prescriptions and appointment booking, and offers other routes to those who cannot.',
        ),
      ],
    },
    {
      key: '3',
      code: 'DCF.3',
      type: 'Domain',
      statement: 'Teaching, learning and self-development',
      notes: 'Using digital tools to learn, to teach and to develop professionally.',
      children: [
        capability(
          '3.1',
          'Completes online learning',
          'Finds, enrols on and completes online learning, including statutory and mandatory training, and keeps a record of it.',
        ),
        capability(
          '3.2',
          'Plans own digital development',
          'Reviews their own digital skills, identifies gaps and plans learning to close them.',
        ),
        capability(
          '3.3',
          'Keeps a digital learning portfolio',
          'Keeps an up-to-date digital portfolio of learning, reflection and evidence for appraisal and revalidation.',
        ),
        capability(
          '3.4',
          'Uses digital tools to teach others',
          'Uses digital tools such as simulations, quizzes and recorded sessions to teach, supervise or support colleagues and learners.',
        ),
        capability(
          '3.5',
          'Learns through online networks',
          'Takes part in webinars, online communities of practice and professional networks to keep knowledge current.',
        ),
      ],
    },
    {
      key: '4',
      code: 'DCF.4',
      type: 'Domain',
      statement: 'Technical proficiency',
      notes: 'Using devices, software and clinical systems confidently, and solving everyday problems.',
      children: [
        capability(
          '4.1',
          'Uses clinical and care systems',
          'Uses the clinical and care systems the role needs, such as electronic patient records, test ordering and results, and electronic prescribing, confidently and accurately.',
        ),
        capability(
          '4.2',
          'Everyday office software and files',
          'Uses everyday software for documents, spreadsheets and presentations, and saves and organises files in the right place.',
        ),
        capability(
          '4.3',
          'Devices, peripherals and connections',
          'Sets up and uses laptops, tablets, smartphones, printers, headsets and webcams, and connects securely to the organisation’s network.',
        ),
        capability(
          '4.4',
          'Solves common technical problems',
          'Sorts out common problems such as a frozen program, a lost connection or a locked account, and reports faults to the service desk with clear details.',
        ),
        capability(
          '4.5',
          'Works safely during system downtime',
          'Follows downtime and business continuity procedures so that care carries on safely when a system is unavailable.',
        ),
        capability(
          '4.6',
          'Accessibility settings and tools',
          'Uses accessibility settings and assistive technology, such as magnification, dictation and screen readers, for themselves or to support others.',
        ),
      ],
    },
    {
      key: '5',
      code: 'DCF.5',
      type: 'Domain',
      statement: 'Information, data and content',
      notes: 'Finding, recording, using and protecting information and data.',
      children: [
        capability(
          '5.1',
          'Keeps accurate electronic records',
          'Records care in electronic records accurately and promptly, to professional standards, using coded entries where the system expects them.',
        ),
        capability(
          '5.2',
          'Data protection and confidentiality',
          'Handles personal and confidential information lawfully, shares it only with those who need it, and recognises and reports data breaches.',
        ),
        capability(
          '5.3',
          'Finds and judges reliable information',
          'Searches for health information and evidence online and judges how reliable it is, preferring trusted sources.',
        ),
        capability(
          '5.4',
          'Interprets data and dashboards',
          'Reads and interprets data such as dashboards, charts and audit results, and uses them to inform care or service decisions.',
        ),
        capability(
          '5.5',
          'Copyright, licences and consent',
          'Respects copyright, licences and consent when using or sharing images, recordings and other content.',
        ),
      ],
    },
    {
      key: '6',
      code: 'DCF.6',
      type: 'Domain',
      statement: 'Creation, innovation and research',
      notes: 'Using digital tools to create content, improve services and take part in research.',
      children: [
        capability(
          '6.1',
          'Creates accessible digital content',
          'Creates clear digital content, such as patient information, forms or short videos, that meets accessibility standards.',
        ),
        capability(
          '6.2',
          'Suggests digital improvements',
          'Spots chances to improve care or services with digital tools and takes part in testing and introducing them.',
        ),
        capability(
          '6.3',
          'Digital tools for audit and research',
          'Uses digital tools to collect and analyse data for audit, quality improvement or research, following the approvals and governance that apply.',
        ),
        capability(
          '6.4',
          'Shares practice with wider audiences',
          'Shares learning, ideas and good practice beyond the team through blogs, presentations, publications or professional networks.',
        ),
        capability(
          '6.5',
          'Emerging technologies: benefits, risks',
          'Understands the basics of emerging technologies such as artificial intelligence, health apps and remote monitoring, and weighs their benefits and risks for patients.',
        ),
      ],
    },
  ],
};
