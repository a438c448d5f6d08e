// A knowledge mobilisation framework for NHS organisations and their library and knowledge services: six domains of
// how an organisation finds, shares and uses evidence and know-how, each with capability statements, rated on a
// five-level maturity scale. Structure and wording are Tessera's own. It drives the knowledge mobilisation
// self-assessment that an organisation answers (org-assessments.tools.ts).
import type { BuiltinFramework, BuiltinItem } from './builtin.types.js';

/** A capability statement; its code follows from its key. */
function capability(key: string, abbreviated: string, statement: string): BuiltinItem {
  return { key, code: `KM.${key}`, type: 'Capability', statement, abbreviated };
}

/** Knowledge mobilisation maturity: leadership, evidence into practice, sharing, learning, capability, partnerships. */
export const knowledgeMobilisationFramework: BuiltinFramework = {
  key: 'knowledge-mobilisation',
  title: 'Knowledge mobilisation for health and care organisations',
  description:
    'Tessera’s own framework for how well an organisation finds, shares and uses evidence and organisational knowledge, written for NHS organisations and their library and knowledge services. ' +
    'Each capability is rated on a five-level maturity scale from emerging to leading; together they make up the knowledge mobilisation self-assessment that an organisation answers and plans from.',
  creator: 'Tessera',
  publisher: 'Tessera',
  version: '1.0',
  basedOn:
    'Tessera’s own structure and wording, in the spirit of the Evidence and Knowledge Self-Assessment Tool of the NHS Knowledge for Healthcare programme. Source: https://library.hee.nhs.uk/knowledge-mobilisation/self-assessment-tool/what-is-evidence-and-knowledge-self-assessment',
  levels: [
    {
      level: 1,
      label: 'Emerging',
      description:
        'There is interest and some activity, led by individuals; little is planned, recorded or shared beyond the people involved.',
    },
    {
      level: 2,
      label: 'Developing',
      description:
        'Some teams or services plan for it, with named people and some resources, but practice is patchy and depends on enthusiasts.',
    },
    {
      level: 3,
      label: 'Established',
      description:
        'Agreed approaches are in place across most of the organisation, resourced and reviewed, and staff know how to use them.',
    },
    {
      level: 4,
      label: 'Embedded',
      description:
        'It is part of how the whole organisation works: built into governance, planning and roles, with its effect on decisions and care measured.',
    },
    {
      level: 5,
      label: 'Leading',
      description:
        'The organisation is recognised for it beyond its walls: it shapes practice with partners and networks, shares what it learns and keeps improving.',
    },
  ],
  items: [
    {
      key: '1',
      code: 'KM.1',
      type: 'Domain',
      statement: 'Leadership and strategy',
      notes: 'Whether the organisation’s leaders treat evidence and knowledge as assets, and plan and pay for them.',
      children: [
        capability(
          '1.1',
          'Board-level sponsor',
          'A named executive sponsors knowledge mobilisation, and the board discusses how evidence and knowledge support its priorities.',
        ),
        capability(
          '1.2',
          'Agreed knowledge strategy',
          'The organisation has an agreed strategy or plan for using evidence and knowledge, linked to its wider objectives and reviewed regularly.',
        ),
        capability(
          '1.3',
          'Resourced library and knowledge service',
          'The library and knowledge service is funded and staffed to meet the organisation’s needs, in line with the national standards for NHS library and knowledge services.',
        ),
        capability(
          '1.4',
          'Leaders model using evidence',
          'Senior leaders ask for the evidence behind proposals and decisions, and say openly how it shaped what they decided.',
        ),
      ],
    },
    {
      key: '2',
      code: 'KM.2',
      type: 'Domain',
      statement: 'Evidence into practice',
      notes: 'Whether research and guidance reach the people making decisions, in time and in a form they can use.',
      children: [
        capability(
          '2.1',
          'Evidence searches on request',
          'Staff can ask for evidence searches and summaries, and receive them in time to inform decisions about care, services and policy.',
        ),
        capability(
          '2.2',
          'Evidence behind policies and cases',
          'Clinical guidelines, policies and business cases cite current evidence, and are checked for it before they are approved.',
        ),
        capability(
          '2.3',
          'Current awareness for teams',
          'Teams receive current awareness updates tailored to their work, so that new research and guidance reach the people who act on them.',
        ),
        capability(
          '2.4',
          'Evidence-based patient information',
          'Information for patients and the public is based on good evidence and written so that people can use it in their own decisions.',
        ),
      ],
    },
    {
      key: '3',
      code: 'KM.3',
      type: 'Domain',
      statement: 'Knowledge sharing and capture',
      notes: 'Whether the know-how held by people and teams is kept, found and passed on.',
      children: [
        capability(
          '3.1',
          'Know-how kept when people move on',
          'Important know-how is captured when people change roles or leave, for example through handover notes, exit conversations or recorded walkthroughs.',
        ),
        capability(
          '3.2',
          'Organisational knowledge is findable',
          'Policies, procedures, project reports and other organisational knowledge are kept where staff can search for them, each with an owner and a review date.',
        ),
        capability(
          '3.3',
          'Communities of practice',
          'Communities of practice and networks help staff with shared interests to ask questions, swap ideas and solve problems across teams.',
        ),
        capability(
          '3.4',
          'Staff can find who knows what',
          'Staff can find out who has expertise in a subject, for example through a directory of expertise or a people finder.',
        ),
      ],
    },
    {
      key: '4',
      code: 'KM.4',
      type: 'Domain',
      statement: 'Learning from experience',
      notes: 'Whether the organisation learns from what it does, good and bad, and spreads what it learns.',
      children: [
        capability(
          '4.1',
          'Learning before, during and after',
          'Projects and services use structured techniques, such as peer assists, after action reviews and retrospectives, to learn before, during and after the work.',
        ),
        capability(
          '4.2',
          'Lessons from incidents shared',
          'Lessons from incidents, complaints and reviews are shared beyond the team involved, and the changes they lead to are followed up.',
        ),
        capability(
          '4.3',
          'Good practice spreads',
          'Good practice found in one part of the organisation is described, shared and taken up in others.',
        ),
        capability(
          '4.4',
          'Improvement starts from evidence',
          'Quality improvement projects start by looking at the existing evidence and at what others have already learned.',
        ),
      ],
    },
    {
      key: '5',
      code: 'KM.5',
      type: 'Domain',
      statement: 'Staff capability',
      notes: 'Whether staff have the skills, time and encouragement to find, use and share knowledge.',
      children: [
        capability(
          '5.1',
          'Staff find and appraise evidence',
          'Staff are trained to search for, appraise and apply evidence, with training matched to their roles.',
        ),
        capability(
          '5.2',
          'Knowledge mobilisation techniques',
          'Staff in key roles can use knowledge mobilisation techniques, such as facilitating a peer assist or running an after action review.',
        ),
        capability(
          '5.3',
          'Health literacy in practice',
          'Staff understand health literacy and use plain language and techniques such as teach-back when they share information with patients.',
        ),
        capability(
          '5.4',
          'Time and recognition for sharing',
          'Staff are given time to use and share knowledge, and contributions to shared learning are recognised in appraisal.',
        ),
      ],
    },
    {
      key: '6',
      code: 'KM.6',
      type: 'Domain',
      statement: 'Partnerships and networks',
      notes: 'Whether knowledge flows between the organisation, its partners, researchers and the public.',
      children: [
        capability(
          '6.1',
          'Links with research partners',
          'The organisation works with universities, research networks and innovation bodies so that research questions and findings flow both ways.',
        ),
        capability(
          '6.2',
          'Shared across the local system',
          'Knowledge and evidence services are shared or coordinated with other organisations in the local health and care system.',
        ),
        capability(
          '6.3',
          'Patients and public as partners',
          'Patients, carers and the public help to decide which knowledge matters and how it is shared.',
        ),
        capability(
          '6.4',
          'Shares its learning externally',
          'The organisation shares its own learning with others, for example through case studies, conferences and publications.',
        ),
      ],
    },
  ],
};
