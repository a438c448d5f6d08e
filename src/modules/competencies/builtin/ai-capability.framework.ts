// An AI and digital healthcare technology capability framework. Domains and sub-domains follow
// ../shared/frameworks/ai-digital-healthcare-capability-framework.json; the capability statements are Tessera's own.
import type { BuiltinFramework, BuiltinItem } from './builtin.types.js';

/** A capability statement; its code follows from its key. */
function capability(key: string, abbreviated: string, statement: string): BuiltinItem {
  return { key, code: `AIF.${key}`, type: 'Capability', statement, abbreviated };
}

/** A domain or sub-domain heading, named as in the public framework. */
function heading(
  type: 'Domain' | 'Sub-domain',
  key: string,
  name: string,
  children: BuiltinItem[],
  abbreviated?: string,
): BuiltinItem {
  const item: BuiltinItem = { key, code: `AIF.${key}`, type, statement: name, children };
  if (abbreviated !== undefined) item.abbreviated = abbreviated;
  return item;
}

/** What health and care staff need to know and do to use, introduce and evaluate AI and digital technologies. */
export const aiCapabilityFramework: BuiltinFramework = {
  key: 'ai-capability',
  title: 'AI and digital healthcare technology capabilities',
  description:
    'Tessera’s own wording for what health and care staff need to know to use, introduce and evaluate AI and digital healthcare technologies, structured on the public AI and Digital Healthcare Technology Capability Framework. ' +
    'That framework builds on general digital literacy and expects different depths of knowledge from five archetypes: Shapers, Drivers, Creators, Embedders and Users. ' +
    'Capabilities are rated on four knowledge levels, ordered from lower- to higher-order thinking as in Bloom’s digital taxonomy.',
  creator: 'Tessera',
  publisher: 'Tessera',
  version: '2023',
  basedOn:
    'AI and Digital Healthcare Technology Capability Framework, HEE Digital, AI and Robotics Technologies in Education (DART-Ed) programme with the University of Manchester (2023). Source: https://digital-transformation.hee.nhs.uk/building-a-digital-workforce/dart-ed/horizon-scanning/ai-and-digital-healthcare-technologies/framework-structure',
  levels: [
    {
      level: 1,
      label: 'Awareness',
      description: 'Recalls and explains the main ideas, terms and uses of a technology.',
    },
    { level: 2, label: 'Application', description: 'Uses a technology or method correctly in familiar situations.' },
    {
      level: 3,
      label: 'Analysis and evaluation',
      description: 'Examines how a technology performs, compares the options and judges their value and risks.',
    },
    {
      level: 4,
      label: 'Creation',
      description: 'Designs, builds or leads new technologies, methods or ways of working.',
    },
  ],
  items: [
    heading('Domain', '1', 'Digital implementation', [
      capability(
        '1.1',
        'How technologies are introduced',
        'Describes how a digital or AI technology is chosen, tested and introduced into a care pathway, and the part their own role plays.',
      ),
      capability(
        '1.2',
        'Assesses fit with local needs',
        'Assesses whether a proposed technology fits local needs, workflows, infrastructure and the people who will use it.',
      ),
      capability(
        '1.3',
        'Plans implementation with users',
        'Plans implementation with the people who will use the technology, including training, support and measures of success agreed before go-live.',
      ),
      capability(
        '1.4',
        'Monitors technology after go-live',
        'Monitors a technology once it is in use, gathers feedback and acts on problems, benefits and unintended effects.',
      ),
    ]),
    heading(
      'Domain',
      '2',
      'Digital health for patients and the public',
      [
        heading(
          'Sub-domain',
          '2.1',
          'Providing direct care with digital technologies',
          [
            capability(
              '2.1.1',
              'Uses digital tools in direct care',
              'Uses digital tools and apps in direct care safely and as intended, within the limits of their training and the product’s approved use.',
            ),
            capability(
              '2.1.2',
              'Explains technology to patients',
              'Explains to patients how a technology used in their care works, what it means for them and what choices they have.',
            ),
            capability(
              '2.1.3',
              'Recommends trusted apps and resources',
              'Recommends trustworthy health apps and digital resources to patients, taking account of their needs, skills and access.',
            ),
            capability(
              '2.1.4',
              'Addresses digital exclusion',
              'Recognises digital exclusion and makes sure patients who cannot or choose not to use technology still receive equal care.',
            ),
          ],
          'Direct care with digital technologies',
        ),
        heading('Sub-domain', '2.2', 'Remote consultation and monitoring', [
          capability(
            '2.2.1',
            'Judges when remote care is suitable',
            'Decides when a remote consultation is clinically suitable and when the patient should be seen in person.',
          ),
          capability(
            '2.2.2',
            'Runs safe remote consultations',
            'Runs remote consultations safely, confirming identity, consent and privacy, with a plan if the connection fails.',
          ),
          capability(
            '2.2.3',
            'Acts on remote monitoring data',
            'Reviews readings from remote monitoring devices, acts on alerts in good time and understands the limits of the readings.',
          ),
        ]),
      ],
      'Digital health for patients and public',
    ),
    heading(
      'Domain',
      '3',
      'Ethical, legal and regulatory considerations',
      [
        heading('Sub-domain', '3.1', 'Ethics', [
          capability(
            '3.1.1',
            'Identifies ethical issues',
            'Identifies the ethical questions that digital and AI technologies raise, such as fairness, autonomy, transparency and accountability.',
          ),
          capability(
            '3.1.2',
            'Recognises bias and unequal outcomes',
            'Recognises how bias in data or design can lead to unequal outcomes for different groups of people, and raises concerns.',
          ),
          capability(
            '3.1.3',
            'Supports informed patient choice',
            'Supports patients to make informed choices about the technologies used in their care, including declining them where that is possible.',
          ),
        ]),
        heading('Sub-domain', '3.2', 'Legislation and regulation', [
          capability(
            '3.2.1',
            'Laws on health data and technology',
            'Explains the main laws on health data and technology, including data protection law, and how they apply to their work.',
          ),
          capability(
            '3.2.2',
            'Checks products are regulated',
            'Checks that a digital product or AI tool is properly regulated, for example as a medical device, before it is used in care.',
          ),
          capability(
            '3.2.3',
            'Reports technology safety incidents',
            'Reports incidents and safety concerns about digital technologies through the proper clinical safety and regulatory routes.',
          ),
          capability(
            '3.2.4',
            'Accountability for supported decisions',
            'Understands who is accountable when a decision is supported by a digital or AI tool, and records their own judgement.',
          ),
        ]),
      ],
      'Ethical, legal and regulatory matters',
    ),
    heading('Domain', '4', 'Human factors', [
      heading('Sub-domain', '4.1', 'Management, leadership, and planning', [
        heading('Sub-domain', '4.1.1', 'Management', [
          capability(
            '4.1.1.1',
            'Plans resources for technology',
            'Plans the staff, time, training and budget needed to introduce a digital technology and keep it running.',
          ),
          capability(
            '4.1.1.2',
            'Designs safe human-technology workflows',
            'Designs workflows in which people and technology work well together, reducing workload and the risk of error.',
          ),
          capability(
            '4.1.1.3',
            'Guards against automation bias',
            'Recognises automation bias and over-reliance on technology, and puts checks in place to counter them.',
          ),
        ]),
        heading('Sub-domain', '4.1.2', 'Leadership', [
          capability(
            '4.1.2.1',
            'Leads digital change',
            'Sets out a clear purpose for digital change and builds the trust and engagement of staff and patients.',
          ),
          capability(
            '4.1.2.2',
            'Culture of openness and learning',
            'Builds a culture in which staff can raise concerns about technology and learn from mistakes.',
          ),
          capability(
            '4.1.2.3',
            'Champions team digital skills',
            'Champions the growth of digital and AI skills across the team and makes time for learning.',
          ),
        ]),
      ]),
    ]),
    heading('Domain', '5', 'Health data management', [
      heading('Sub-domain', '5.1', 'Data management and processing', [
        heading('Sub-domain', '5.1.1', 'Data collection and context', [
          capability(
            '5.1.1.1',
            'Records data to agreed standards',
            'Records data accurately and consistently, using agreed standards and coding, so that it can be reused safely.',
          ),
          capability(
            '5.1.1.2',
            'Understands the context of data',
            'Understands the setting and purpose for which data was collected, and how that limits what it can be used for.',
          ),
          capability(
            '5.1.1.3',
            'Recognises gaps in data',
            'Recognises missing, incomplete or unrepresentative data and the effect it may have on analysis and care.',
          ),
        ]),
        heading('Sub-domain', '5.1.2', 'Data storage', [
          capability(
            '5.1.2.1',
            'Uses approved data storage',
            'Stores health data only in approved systems and locations, with the right access controls.',
          ),
          capability(
            '5.1.2.2',
            'Follows retention and disposal rules',
            'Follows the rules for how long records and data sets are kept and how they are disposed of.',
          ),
          capability(
            '5.1.2.3',
            'Local, network and cloud storage',
            'Explains the differences between local, network and cloud storage and the risks each brings for health data.',
          ),
        ]),
        heading('Sub-domain', '5.1.3', 'Data visualisation and reporting', [
          capability(
            '5.1.3.1',
            'Reads charts and dashboards',
            'Reads charts, dashboards and reports accurately and spots data presented in a misleading way.',
          ),
          capability(
            '5.1.3.2',
            'Presents data clearly',
            'Presents data clearly and accessibly for its audience, choosing suitable charts and explaining uncertainty.',
          ),
          capability(
            '5.1.3.3',
            'Produces routine reports',
            'Produces routine reports from clinical or operational systems and checks them before they are shared.',
          ),
        ]),
        heading('Sub-domain', '5.1.4', 'Data processing and analytics', [
          capability(
            '5.1.4.1',
            'Understands analysis methods',
            'Understands common analysis methods, from simple descriptive statistics to predictive models, and what each can show.',
          ),
          capability(
            '5.1.4.2',
            'Prepares data for analysis',
            'Cleans, links and prepares data sets for analysis, recording each step so the work can be repeated.',
          ),
          capability(
            '5.1.4.3',
            'Interprets analysis critically',
            'Interprets the results of an analysis critically, including its limits and the risk of mistaking correlation for cause.',
          ),
        ]),
      ]),
      heading('Sub-domain', '5.2', 'Data/cyber security', [
        heading('Sub-domain', '5.2.1', 'Data privacy and confidentiality', [
          capability(
            '5.2.1.1',
            'Applies data protection principles',
            'Applies confidentiality and data protection principles when using health data, sharing only what is needed.',
          ),
          capability(
            '5.2.1.2',
            'Anonymisation and re-identification',
            'Knows when data must be anonymised or pseudonymised, and the risk that people could be identified again.',
          ),
          capability(
            '5.2.1.3',
            'Recognises and reports cyber threats',
            'Recognises cyber threats to health systems and data, and follows the steps to prevent and report them.',
          ),
          capability(
            '5.2.1.4',
            'Respects patients’ data choices',
            'Respects patients’ choices about how their data is used, including the national data opt-out.',
          ),
        ]),
      ]),
    ]),
    heading('Domain', '6', 'Artificial Intelligence (AI)', [
      heading(
        'Sub-domain',
        '6.1',
        'Machine learning and natural language processing',
        [
          capability(
            '6.1.1',
            'Explains machine learning basics',
            'Explains in plain terms what machine learning is and how a model learns from training data.',
          ),
          capability(
            '6.1.2',
            'Explains language models and limits',
            'Describes how natural language processing and generative AI produce text, and why they can give fluent but wrong answers.',
          ),
          capability(
            '6.1.3',
            'Recognises types of health AI',
            'Recognises the main kinds of AI used in health and care, such as image analysis, risk prediction and speech recognition.',
          ),
        ],
        'Machine learning and language processing',
      ),
      heading('Sub-domain', '6.2', 'Using and implementing AI systems', [
        capability(
          '6.2.1',
          'Uses AI tools with judgement',
          'Uses AI tools at work as intended, checking their outputs and keeping to their own professional judgement.',
        ),
        capability(
          '6.2.2',
          'Explains AI use to patients',
          'Explains to patients when and how AI is involved in their care, in terms they can understand.',
        ),
        capability(
          '6.2.3',
          'Plans safe AI implementation',
          'Plans the safe introduction of an AI system, covering integration with other systems, training, clinical safety and ongoing monitoring.',
        ),
        capability(
          '6.2.4',
          'Keeps confidential data out of AI',
          'Does not enter confidential or personal information into AI tools that are not approved for it.',
        ),
      ]),
      heading('Sub-domain', '6.3', 'Evaluating AI systems', [
        capability(
          '6.3.1',
          'Weighs evidence for AI systems',
          'Asks for and weighs the evidence that an AI system is safe, effective and suitable for the local population.',
        ),
        capability(
          '6.3.2',
          'Interprets AI performance measures',
          'Interprets performance measures such as sensitivity, specificity and accuracy, and what they mean in practice.',
        ),
        capability(
          '6.3.3',
          'Checks AI fairness and drift',
          'Checks whether an AI system performs fairly across different patient groups, and whether its performance holds up over time.',
        ),
      ]),
      heading('Sub-domain', '6.4', 'Robotics', [
        capability(
          '6.4.1',
          'Describes uses of robotics',
          'Describes how robotic systems are used in health and care, such as surgical robots, pharmacy automation and care robots.',
        ),
        capability(
          '6.4.2',
          'Works safely with robotics',
          'Works safely alongside robotic systems, following the training, checks and emergency procedures that apply.',
        ),
        capability(
          '6.4.3',
          'Robotics: effects on people and roles',
          'Considers the effect of robotics on patients’ experience, on staff roles and on the skills the team needs.',
        ),
      ]),
    ]),
  ],
};
