import { describe, expect, it } from 'vitest';
import {
  brokenCmi5Package,
  brokenManifestPackage,
  CMI5,
  cmi5CourseXml,
  cmi5Package,
  invalidManifestPackage,
  missingDefaultOrganisationPackage,
  missingFilePackage,
  noManifestPackage,
  SCORM12,
  scorm12Package,
  SCORM2004,
  scorm2004Package,
  zipFiles,
} from '../../../../test/fixtures/packages/build.js';
import { readCmi5Xml, readPackage } from './package.read.js';
import { isCmi5Au, PackageInvalid, type Cmi5Structure, type ScormStructure } from './package.types.js';

function refusal(fn: () => unknown): PackageInvalid {
  try {
    fn();
  } catch (error) {
    if (error instanceof PackageInvalid) return error;
    throw error;
  }
  throw new Error('expected PackageInvalid');
}

const scorm = (s: unknown): ScormStructure => s as ScormStructure;
const text = (bytes: Uint8Array | undefined): string => new TextDecoder().decode(bytes);

describe('readPackage: the project’s own packages', () => {
  it('reads the SCORM 1.2 package', () => {
    const pkg = readPackage(scorm12Package());
    expect(pkg).toMatchObject({ kind: 'scorm12', title: SCORM12.title, description: SCORM12.description });
    const s = scorm(pkg.structure);
    expect(s).toMatchObject({ kind: 'scorm12', identifier: SCORM12.identifier, schemaVersion: '1.2' });
    expect(s.organisation.items).toEqual([
      {
        identifier: SCORM12.item,
        title: 'Three pages',
        resourceId: 'RES-1',
        launch: SCORM12.launch,
        scormType: 'sco',
        masteryScore: SCORM12.masteryScore,
        isVisible: true,
        children: [],
      },
    ]);
    expect(pkg.files.map((f) => [f.path, f.contentType])).toEqual([
      ['imsmanifest.xml', 'application/xml'],
      ['index.html', 'text/html; charset=utf-8'],
      ['sco12.js', 'text/javascript; charset=utf-8'],
      ['style.css', 'text/css; charset=utf-8'],
    ]);
    // The SCO's page loads its script from a file (content runs under a CSP without inline script).
    const page = text(pkg.files.find((f) => f.path === 'index.html')?.content);
    expect(page).toContain('<script src="sco12.js" defer></script>');
    expect(page).not.toMatch(/<script>|\son[a-z]+=|style=/);
  });

  it('reads the SCORM 2004 package with flow + choice and a prerequisite on Part 2', () => {
    const pkg = readPackage(scorm2004Package());
    const s = scorm(pkg.structure);
    expect(pkg.kind).toBe('scorm2004');
    expect(s.schemaVersion).toBe('2004 4th Edition');
    expect(s.organisation.objectivesGlobalToSystem).toBe(false);
    expect(s.organisation.sequencing?.controlMode).toEqual({
      choice: true,
      choiceExit: true,
      flow: true,
      forwardOnly: false,
    });
    const [part1, part2] = s.organisation.items;
    // xml:base="content/" on <resources> puts the launch files in content/.
    expect([part1?.launch, part2?.launch]).toEqual(SCORM2004.items.map((i) => i.launch));
    expect(part1?.sequencing?.objectives).toEqual([
      {
        id: 'part1-passed',
        primary: true,
        satisfiedByMeasure: false,
        globalMapInfo: [
          {
            targetObjectiveId: SCORM2004.globalObjective,
            readSatisfiedStatus: true,
            writeSatisfiedStatus: true,
            readNormalizedMeasure: true,
            writeNormalizedMeasure: false,
          },
        ],
      },
    ]);
    expect(part2?.sequencing?.preconditionRules).toEqual([
      {
        action: 'disabled',
        combination: 'any',
        conditions: [
          { condition: 'satisfied', referencedObjective: 'part1-passed', negate: true },
          { condition: 'objectiveStatusKnown', referencedObjective: 'part1-passed', negate: true },
        ],
      },
    ]);
    expect(part2?.sequencing?.objectives.find((o) => !o.primary)?.globalMapInfo[0]).toMatchObject({
      targetObjectiveId: SCORM2004.globalObjective,
      readSatisfiedStatus: true,
      writeSatisfiedStatus: false,
    });
    expect(part2?.sequencing?.deliveryControls).toEqual({
      tracked: true,
      completionSetByContent: true,
      objectiveSetByContent: true,
    });
    expect(pkg.files.map((f) => f.path)).toContain('content/sco2004.js');
  });

  it('reads the cmi5 package: two AUs in course order with their moveOn rules', () => {
    const pkg = readPackage(cmi5Package());
    expect(pkg).toMatchObject({ kind: 'cmi5', title: CMI5.title, description: CMI5.description });
    const s = pkg.structure as Cmi5Structure;
    expect(s.course).toEqual({ id: CMI5.courseId, title: CMI5.title, description: CMI5.description });
    expect(s.aus.map((a) => [a.id, a.url, a.moveOn, a.masteryScore, a.launchMethod])).toEqual([
      [CMI5.aus[0].id, CMI5.aus[0].url, 'Completed', undefined, 'AnyWindow'],
      [CMI5.aus[1].id, CMI5.aus[1].url, 'Passed', 0.8, 'AnyWindow'],
    ]);
    expect(s.children.every(isCmi5Au)).toBe(true);
    expect(s.aus[1]?.activityType).toBe('http://adlnet.gov/expapi/activities/assessment');
    expect(text(pkg.files.find((f) => f.path === 'content/check.html')?.content)).toContain('data-assessed="true"');
  });

  it('takes a package zipped inside one folder, and ignores macOS junk', () => {
    const inner = readPackage(scorm12Package()).files;
    const wrapped: Record<string, Uint8Array> = { '__MACOSX/course/._index.html': new Uint8Array([0]) };
    for (const f of inner) wrapped[`course/${f.path}`] = f.content;
    wrapped['course/.DS_Store'] = new Uint8Array([1]);
    const pkg = readPackage(zipFiles(wrapped));
    expect(pkg.kind).toBe('scorm12');
    expect(pkg.files.map((f) => f.path)).toEqual(inner.map((f) => f.path));
  });
});

describe('readPackage: broken packages are refused with every problem listed', () => {
  it('reports a manifest that is not well formed, with its line', () => {
    const error = refusal(() => readPackage(brokenManifestPackage()));
    expect(error.message).toBe('The SCORM package cannot be used: 1 problem found.');
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(
      /^imsmanifest\.xml: the XML is not well formed at line \d+: Expected closing tag 'item'/,
    );
  });

  it('reports a launched file missing from the zip', () => {
    expect(refusal(() => readPackage(missingFilePackage())).problems).toEqual([
      'imsmanifest.xml: resource RES-1 (launched by item ITEM-1) points to "start.html", which is not in the zip.',
    ]);
  });

  it('reports all the manifest’s problems at once, in details too', () => {
    const error = refusal(() => readPackage(invalidManifestPackage()));
    const expected = [
      'imsmanifest.xml: item ITEM-2 refers to resource RES-9, which is not in <resources>.',
      'imsmanifest.xml: item ITEM-3 launches resource RES-3, which has no href.',
      'imsmanifest.xml: item ITEM-4 launches resource RES-4, which has no adlcp:scormType ("sco" or "asset").',
      'imsmanifest.xml: item identifier "ITEM-1" is used more than once.',
      'imsmanifest.xml: resource RES-5 (launched by item ITEM-1) points to "missing.pdf", which is not in the zip.',
    ];
    expect(error.problems).toEqual(expected);
    expect(error.message).toBe('The SCORM package cannot be used: 5 problems found.');
    expect(error).toMatchObject({ status: 400, code: 'invalid' });
    expect(error.details).toEqual(Object.fromEntries(expected.map((p, i) => [`problem${i + 1}`, p])));
  });

  it('reports a default organization that does not exist, and a manifest without organizations', () => {
    expect(refusal(() => readPackage(missingDefaultOrganisationPackage())).problems).toEqual([
      'imsmanifest.xml: the default organization "ORG-404" is not one of the <organization> elements.',
    ]);
    const empty = '<manifest identifier="m"><organizations/><resources/></manifest>';
    expect(refusal(() => readPackage(zipFiles({ 'imsmanifest.xml': empty }))).problems).toEqual([
      'imsmanifest.xml: there is no <organization> in <organizations>, so there is nothing to launch.',
    ]);
  });

  it('reports a zip without a manifest, pointing at one hidden in a folder', () => {
    expect(refusal(() => readPackage(noManifestPackage())).problems).toEqual([
      'The zip has no imsmanifest.xml (SCORM) or cmi5.xml (cmi5) at its root, so it is not a SCORM or cmi5 package.',
    ]);
    const nested = refusal(() =>
      readPackage(zipFiles({ 'readme.txt': 'hi', 'course/imsmanifest.xml': '<manifest/>' })),
    );
    expect(nested.problems[0]).toContain('There is one at "course/imsmanifest.xml"');
  });

  it('refuses a file that is not a zip', () => {
    expect(refusal(() => readPackage(new TextEncoder().encode('<html>not a zip</html>'))).message).toBe(
      'The file is not a zip archive.',
    );
  });

  it('reports every cmi5 course structure problem', () => {
    const error = refusal(() => readPackage(brokenCmi5Package()));
    expect(error.message).toBe('The cmi5 course cannot be used: 7 problems found.');
    expect(error.problems).toEqual([
      'cmi5.xml: the course has no id.',
      'cmi5.xml: an <au> has the id "au-1", which is not an IRI (e.g. https://example.org/courses/fire-safety).',
      'cmi5.xml: AU au-1 has moveOn "Finished"; expected one of Passed, Completed, CompletedAndPassed, CompletedOrPassed, NotApplicable.',
      'cmi5.xml: AU au-1 has masteryScore "1.5"; it must be a decimal from 0 to 1.',
      'cmi5.xml: AU https://example.org/tessera-test/broken/au/2 has launchMethod "NewTab"; expected AnyWindow or OwnWindow.',
      'cmi5.xml: AU https://example.org/tessera-test/broken/au/2 has no <url>.',
      'cmi5.xml: AU https://example.org/tessera-test/broken/au/3 has the url "content/missing.html?x=1", but "content/missing.html" is not in the zip.',
    ]);
  });

  it('reports a cmi5.xml that is not well formed or has no course title', () => {
    expect(
      refusal(() => readPackage(zipFiles({ 'cmi5.xml': '<courseStructure>\n<course id="urn:x">\n</courseStructure>' })))
        .problems[0],
    ).toMatch(/^cmi5\.xml: the XML is not well formed at line 3/);
    const untitled = cmi5CourseXml().replace(`<title><langstring lang="en-GB">${CMI5.title}</langstring></title>`, '');
    expect(refusal(() => readCmi5Xml(untitled.replace(/content\//g, 'https://cdn.example.org/'))).problems).toEqual([
      'cmi5.xml: the course has no title.',
    ]);
  });
});

describe('readCmi5Xml: a course structure uploaded without a zip', () => {
  it('reads AUs with absolute URLs', () => {
    const pkg = readCmi5Xml(cmi5CourseXml({ baseUrl: 'https://content.example.org/course/' }));
    const s = pkg.structure as Cmi5Structure;
    expect(pkg.kind).toBe('cmi5');
    expect(s.aus.map((a) => a.url)).toEqual([
      'https://content.example.org/course/content/introduction.html',
      'https://content.example.org/course/content/check.html',
    ]);
    expect(pkg.files.map((f) => f.path)).toEqual(['cmi5.xml']);
  });

  it('refuses relative AU URLs, as there is no content to serve them from', () => {
    expect(refusal(() => readCmi5Xml(cmi5CourseXml())).problems).toEqual(
      CMI5.aus.map(
        (a) =>
          `cmi5.xml: AU ${a.id} has the relative url "${a.url}"; a cmi5.xml uploaded on its own must use absolute URLs (upload the course zip instead).`,
      ),
    );
  });

  it('keeps blocks in course order, picks English langstrings and ignores vendor extensions', () => {
    const xml = `<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd" xmlns:kw="http://example.org/kw">
  <course id="https://example.org/c"><title><langstring lang="de-DE">Kurs</langstring><langstring lang="en-GB">Course</langstring></title>
    <description><langstring lang="de-DE">Beschreibung</langstring></description></course>
  <au id="https://example.org/a1" moveOn="completedorpassed" launchMethod="OwnWindow"><title><langstring>First</langstring></title><description/>
    <url>
      https://example.org/a1/start
    </url><launchParameters>{"mode":1}</launchParameters><entitlementKey>key-1</entitlementKey><kw:au id="not-an-au"/></au>
  <block id="https://example.org/b1"><title/><description/>
    <au id="https://example.org/a2"><title/><description/><url>https://example.org/a2</url></au>
    <block id="https://example.org/b2"><title><langstring>Inner</langstring></title><description/>
      <au id="https://example.org/a3"><title><langstring>Third</langstring></title><description/><url>https://example.org/a3</url></au>
    </block>
  </block>
  <kw:block id="ignored"><kw:au id="also-ignored"/></kw:block>
  <au id="https://example.org/a4"><title><langstring>Fourth</langstring></title><description/><url>https://example.org/a4</url></au>
</courseStructure>`;
    const s = readCmi5Xml(xml).structure as Cmi5Structure;
    expect(s.course).toEqual({ id: 'https://example.org/c', title: 'Course', description: 'Beschreibung' });
    expect(s.aus.map((a) => a.id)).toEqual([
      'https://example.org/a1',
      'https://example.org/a2',
      'https://example.org/a3',
      'https://example.org/a4',
    ]);
    expect(s.aus[0]).toEqual({
      id: 'https://example.org/a1',
      title: 'First',
      description: '',
      url: 'https://example.org/a1/start',
      launchMethod: 'OwnWindow',
      moveOn: 'CompletedOrPassed',
      launchParameters: '{"mode":1}',
      entitlementKey: 'key-1',
    });
    expect(s.aus[1]).toMatchObject({
      title: 'https://example.org/a2',
      moveOn: 'NotApplicable',
      launchMethod: 'AnyWindow',
    });
    expect(s.children.map((c) => (isCmi5Au(c) ? `au ${c.id}` : `block ${c.title}`))).toEqual([
      'au https://example.org/a1',
      'block https://example.org/b1',
      'au https://example.org/a4',
    ]);
  });
});
