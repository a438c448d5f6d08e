// A technology-enhanced learning (TEL) readiness and maturity framework for health and care organisations: six
// domains from strategy to evaluation, each with capability statements, rated on a four-level maturity scale.
// Structure and wording are Tessera's own. It drives the TEL readiness and maturity assessment that an organisation
// answers (org-assessments.tools.ts).
import type { BuiltinFramework, BuiltinItem } from './builtin.types.js';

/** A capability statement; its code follows from its key. */
function capability(key: string, abbreviated: string, statement: string): BuiltinItem {
  return { key, code: `TEL.${key}`, type: 'Capability', statement, abbreviated };
}

/** TEL readiness and maturity: strategy, infrastructure, content, staff capability, learner support, evaluation. */
export const telMaturityFramework: BuiltinFramework = {
  key: 'tel-maturity',
  title: 'Technology-enhanced learning readiness and maturity',
  description:
    'Tessera’s own framework for how ready an organisation is to use technology for learning, and how mature that use is, from strategy and infrastructure to content, support and evaluation. ' +
    'Each capability is rated on a four-level maturity scale from getting started to leading; together they make up the technology-enhanced learning readiness and maturity assessment that an organisation answers and plans from.',
  creator: 'Tessera',
  publisher: 'Tessera',
  version: '1.0',
  basedOn:
    'Tessera’s own structure and wording for technology-enhanced learning, drawing on the readiness, capabilities and infrastructure themes of NHS England’s digital maturity assessment. Source: https://www.england.nhs.uk/digitaltechnology/connecteddigitalsystems/digital-maturity-assessment/',
  levels: [
    {
      level: 1,
      label: 'Getting started',
      description:
        'Technology-enhanced learning happens in pockets, led by enthusiasts, with little planning, support or evaluation.',
    },
    {
      level: 2,
      label: 'Developing',
      description:
        'Plans, tools and support are in place for some services or staff groups; practice is uneven and depends on a few people.',
    },
    {
      level: 3,
      label: 'Established',
      description:
        'It is consistent, resourced and supported across the organisation, with agreed standards and regular review.',
    },
    {
      level: 4,
      label: 'Leading',
      description:
        'It is integral to how the organisation develops its people: evaluated for impact, improved continuously and shared with others.',
    },
  ],
  items: [
    {
      key: '1',
      code: 'TEL.1',
      type: 'Domain',
      statement: 'Strategy and leadership',
      notes: 'Whether technology-enhanced learning has a plan, a leader, governance and money behind it.',
      children: [
        capability(
          '1.1',
          'Part of the education strategy',
          'The organisation’s education and workforce strategy sets out how technology-enhanced learning will support its priorities.',
        ),
        capability(
          '1.2',
          'Named lead and clear governance',
          'A named lead is accountable for technology-enhanced learning, and decisions go through governance that includes education, digital and clinical leaders.',
        ),
        capability(
          '1.3',
          'Recurrent funding',
          'Technology-enhanced learning has recurrent funding for platforms, content and staff, not only one-off project money.',
        ),
        capability(
          '1.4',
          'Plans based on learners’ needs',
          'Plans are based on an analysis of learners’ needs and of the organisation’s workforce priorities.',
        ),
      ],
    },
    {
      key: '2',
      code: 'TEL.2',
      type: 'Domain',
      statement: 'Infrastructure and access',
      notes: 'Whether staff can reach digital learning when and where they need it.',
      children: [
        capability(
          '2.1',
          'Devices and connectivity',
          'Staff have reliable devices, wi-fi and network access wherever they are expected to learn, including on wards and in the community.',
        ),
        capability(
          '2.2',
          'Easy sign-in from anywhere',
          'Learning platforms are easy to reach, with single sign-on, and can be used from home and on mobile devices where appropriate.',
        ),
        capability(
          '2.3',
          'Protected time and space',
          'Staff have protected time and quiet spaces for online learning, and managers plan for it in rotas.',
        ),
        capability(
          '2.4',
          'Learning records follow staff',
          'Learning systems exchange records through open standards such as xAPI, so that completions follow staff between systems and employers.',
        ),
      ],
    },
    {
      key: '3',
      code: 'TEL.3',
      type: 'Domain',
      statement: 'Content and design',
      notes: 'Whether digital learning is well designed, accessible, current and not built twice.',
      children: [
        capability(
          '3.1',
          'Designed for how adults learn',
          'Digital learning is designed with clear outcomes and active learning, drawing on evidence about how adults learn, not only as information to read.',
        ),
        capability(
          '3.2',
          'Accessible and inclusive',
          'Content meets accessibility standards (WCAG 2.2 AA) and is tested with learners who use assistive technology.',
        ),
        capability(
          '3.3',
          'Reuse before building',
          'Before building content, teams look for existing national and shared resources, and reuse or adapt them.',
        ),
        capability(
          '3.4',
          'Reviewed and kept current',
          'Every resource has an owner and a review date, and out-of-date content is updated or withdrawn.',
        ),
        capability(
          '3.5',
          'Simulation and immersive learning',
          'Simulation, virtual and immersive technologies are used where they add value, with debriefing built in.',
        ),
      ],
    },
    {
      key: '4',
      code: 'TEL.4',
      type: 'Domain',
      statement: 'Staff digital capability',
      notes: 'Whether educators, learners and specialist staff have the skills technology-enhanced learning needs.',
      children: [
        capability(
          '4.1',
          'Educators teach well online',
          'Educators and trainers can design, deliver and facilitate learning online and in blended formats.',
        ),
        capability(
          '4.2',
          'Learners ready to learn online',
          'Learners have the digital skills to take part in online learning, and help is offered to those who need it.',
        ),
        capability(
          '4.3',
          'Specialist TEL roles',
          'The organisation has, or can call on, specialist roles such as learning technologists and digital learning designers.',
        ),
        capability(
          '4.4',
          'Development for TEL staff',
          'People who lead and support technology-enhanced learning have ongoing development and belong to professional networks.',
        ),
      ],
    },
    {
      key: '5',
      code: 'TEL.5',
      type: 'Domain',
      statement: 'Learner support',
      notes: 'Whether learners can find what they need, get help and have their say.',
      children: [
        capability(
          '5.1',
          'Help when learners get stuck',
          'Learners can get timely help with technical and learning problems, through a service desk, guides and people they can ask.',
        ),
        capability(
          '5.2',
          'A clear route to learning',
          'Learners can find the learning they need in one place, with clear guidance on what their role requires.',
        ),
        capability(
          '5.3',
          'Reasonable adjustments',
          'Learners who need reasonable adjustments or alternative formats get them without delay.',
        ),
        capability(
          '5.4',
          'Learner voice shapes provision',
          'Learners’ feedback is gathered regularly and visibly changes what is offered and how.',
        ),
      ],
    },
    {
      key: '6',
      code: 'TEL.6',
      type: 'Domain',
      statement: 'Evaluation and data',
      notes: 'Whether the organisation knows what its technology-enhanced learning achieves, and uses data well.',
      children: [
        capability(
          '6.1',
          'Impact evaluated, not just completion',
          'Learning is evaluated for its effect on practice and outcomes, not only for completion and satisfaction.',
        ),
        capability(
          '6.2',
          'Learning data used to plan',
          'Data from learning systems is analysed and used to plan provision, target support and report to the board.',
        ),
        capability(
          '6.3',
          'Data used lawfully and openly',
          'Learning data is collected, kept and shared lawfully and ethically, and learners are told how it is used.',
        ),
        capability(
          '6.4',
          'Costs and benefits understood',
          'The costs and benefits of technology-enhanced learning are understood and compared with other ways of learning.',
        ),
      ],
    },
  ],
};
