import { describe, expect, it } from 'vitest';
import { zipFiles } from '../../../../test/fixtures/packages/build.js';
import { readPackage } from './package.read.js';
import { PackageInvalid, type ScormStructure } from './package.types.js';
import { parseScormManifest, resolveHref, withParameters } from './scorm.manifest.js';

/** Written the way third-party authoring tools write: BOM, no XML declaration, unusual prefixes, xml:base, extras. */
const VENDOR_2004 = `\uFEFF<ims:manifest identifier="com.vendor.course-42" version="3"
   xmlns:ims="http://www.imsglobal.org/xsd/imscp_v1p1"
   xmlns:adl="http://www.adlnet.org/xsd/adlcp_v1p3"
   xmlns:ss="http://www.imsglobal.org/xsd/imsss"
   xmlns:seq="http://www.adlnet.org/xsd/adlseq_v1p3"
   xmlns:nav="http://www.adlnet.org/xsd/adlnav_v1p3"
   xmlns:lom="http://ltsc.ieee.org/xsd/LOM"
   xmlns:vendor="http://vendor.example/ns">
  <ims:metadata>
    <ims:schema>ADL SCORM</ims:schema>
    <ims:schemaversion>CAM 1.3</ims:schemaversion>
    <lom:lom><lom:general>
      <lom:title><lom:string language="en">Vendor course (LOM)</lom:string></lom:title>
      <lom:description><lom:string language="en">  A course
        from a vendor.  </lom:string></lom:description>
    </lom:general></lom:lom>
  </ims:metadata>
  <ims:organizations default="TOC">
    <ims:organization identifier="OTHER"><ims:title>Unused</ims:title><ims:item identifier="X-1" identifierref="R-EXT"/></ims:organization>
    <ims:organization identifier="TOC" seq:objectivesGlobalToSystem="true">
      <ims:title>Vendor course</ims:title>
      <!-- a module with no title of its own -->
      <ims:item identifier="MODULE-1">
        <ims:item identifier="SCO-1" identifierref="R-SCO" parameters="?lang=en">
          <ims:title>Lesson one</ims:title>
          <adl:completionThreshold completedByMeasure="true" minProgressMeasure="0.75"/>
          <adl:dataFromLMS>mode=strict</adl:dataFromLMS>
          <ss:sequencing IDRef="common"><ss:deliveryControls tracked="true"/></ss:sequencing>
          <nav:presentation><nav:navigationInterface><nav:hideLMSUI>continue</nav:hideLMSUI></nav:navigationInterface></nav:presentation>
        </ims:item>
        <ims:item identifier="HIDDEN-1" identifierref="R-PDF" isvisible="false"><ims:title>Handout</ims:title></ims:item>
      </ims:item>
      <ims:item identifier="EXT-1" identifierref="R-EXT"><ims:title>Further reading</ims:title></ims:item>
      <vendor:settings theme="dark"/>
    </ims:organization>
  </ims:organizations>
  <ims:resources xml:base="course_files/">
    <ims:resource identifier="R-SCO" type="webcontent" adl:scormtype="SCO" xml:base="lesson1" href="launch.html?start=1#top">
      <ims:file href="launch.html"/>
    </ims:resource>
    <ims:resource identifier="R-PDF" type="webcontent" adl:SCORMTYPE="asset" href="docs/Hand%20out.pdf"/>
    <ims:resource identifier="R-EXT" type="webcontent" adl:scormType="asset" href="https://example.org/reading"/>
  </ims:resources>
  <ss:sequencingCollection>
    <ss:sequencing ID="common">
      <ss:controlMode choice="false" flow="true" forwardOnly="true"/>
      <ss:deliveryControls tracked="false"/>
      <ss:limitConditions attemptLimit="3"/>
    </ss:sequencing>
  </ss:sequencingCollection>
</ims:manifest>`;

const VENDOR_FILES = {
  'imsmanifest.xml': VENDOR_2004,
  'course_files/lesson1/launch.html': '<!DOCTYPE html><title>Lesson</title>',
  'course_files/docs/Hand out.pdf': '%PDF-1.4',
};

describe('parseScormManifest: real-world manifests', () => {
  it('reads a third-party SCORM 2004 manifest with odd prefixes, xml:base, parameters and shared sequencing', () => {
    const pkg = readPackage(zipFiles(VENDOR_FILES));
    const s = pkg.structure as ScormStructure;
    expect(pkg).toMatchObject({ kind: 'scorm2004', title: 'Vendor course', description: 'A course from a vendor.' });
    expect(s).toMatchObject({ identifier: 'com.vendor.course-42', schemaVersion: 'CAM 1.3' });
    expect(s.organisation.identifier).toBe('TOC');
    const [module, external] = s.organisation.items;
    expect(module).toMatchObject({ identifier: 'MODULE-1', title: 'MODULE-1', isVisible: true });
    expect(module?.launch).toBeUndefined();
    const [sco, handout] = module?.children ?? [];
    expect(sco).toMatchObject({
      identifier: 'SCO-1',
      title: 'Lesson one',
      scormType: 'sco',
      launch: 'course_files/lesson1/launch.html?start=1&lang=en#top',
      completionThreshold: 0.75,
      dataFromLms: 'mode=strict',
    });
    // Its own deliveryControls override the shared ones; the rest come from the collection.
    expect(sco?.sequencing).toMatchObject({
      controlMode: { choice: false, choiceExit: true, flow: true, forwardOnly: true },
      deliveryControls: { tracked: true, completionSetByContent: false, objectiveSetByContent: false },
      attemptLimit: 3,
    });
    expect(handout).toMatchObject({
      identifier: 'HIDDEN-1',
      isVisible: false,
      scormType: 'asset',
      launch: 'course_files/docs/Hand%20out.pdf',
    });
    expect(external).toMatchObject({ identifier: 'EXT-1', scormType: 'asset', launch: 'https://example.org/reading' });
  });

  it('reads a SCORM 1.2 manifest in ISO-8859-1 without a default organization, forgiving case and missing scormtype', () => {
    const manifest = `<?xml version="1.0" encoding="ISO-8859-1"?>
<manifest identifier="legacy" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <organizations>
    <organization identifier="O1">
      <title>Sécurité incendie</title>
      <item identifier="I1" identifierref="R1" parameters="page=2">
        <adlcp:masteryscore>75</adlcp:masteryscore>
        <adlcp:prerequisites type="aicc_script">I0</adlcp:prerequisites>
        <adlcp:maxtimeallowed>00:30:00</adlcp:maxtimeallowed>
        <adlcp:timelimitaction>exit,message</adlcp:timelimitaction>
        <adlcp:datafromlms>level=1</adlcp:datafromlms>
      </item>
      <item identifier="I2" identifierref="R2"><title>Quiz</title></item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="R1" type="webcontent" adlcp:scormType="SCO" href="./sco/index.htm"/>
    <resource identifier="R2" type="webcontent" href="quiz.html"/>
  </resources>
</manifest>`;
    const bytes = Uint8Array.from(manifest, (c) => c.charCodeAt(0)); // latin1, as the declaration says
    const pkg = readPackage(zipFiles({ 'imsmanifest.xml': bytes, 'sco/index.htm': 'x', 'quiz.html': 'x' }));
    const s = pkg.structure as ScormStructure;
    expect(pkg.kind).toBe('scorm12');
    expect(s.schemaVersion).toBeUndefined();
    expect(s.title).toBe('Sécurité incendie');
    expect(s.organisation.items).toEqual([
      {
        identifier: 'I1',
        title: 'I1',
        resourceId: 'R1',
        scormType: 'sco',
        launch: 'sco/index.htm?page=2',
        masteryScore: 75,
        prerequisites: 'I0',
        maxTimeAllowed: '00:30:00',
        timeLimitAction: 'exit,message',
        dataFromLms: 'level=1',
        isVisible: true,
        children: [],
      },
      {
        identifier: 'I2',
        title: 'Quiz',
        resourceId: 'R2',
        scormType: 'sco',
        launch: 'quiz.html',
        isVisible: true,
        children: [],
      },
    ]);
  });

  it('hints at a file whose name differs only in letter case, and refuses hrefs leaving the package', () => {
    const manifest = `<manifest identifier="m" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <organizations default="O"><organization identifier="O"><title>T</title>
    <item identifier="A" identifierref="RA"/><item identifier="B" identifierref="RB"/></organization></organizations>
  <resources xml:base="content/">
    <resource identifier="RA" adlcp:scormtype="sco" href="Index.html"/>
    <resource identifier="RB" adlcp:scormtype="sco" href="../../etc/passwd"/>
    <resource identifier="RA" adlcp:scormtype="asset" href="index.html"/>
  </resources>
</manifest>`;
    const { problems } = parseScormManifest(manifest, new Set(['content/index.html']));
    expect(problems).toEqual([
      'imsmanifest.xml: resource identifier "RA" is used more than once.',
      'imsmanifest.xml: resource RA (launched by item A) points to "content/Index.html", which is not in the zip (the zip has "content/index.html", which differs in letter case).',
      'imsmanifest.xml: resource RB (launched by item B) points outside the package: "../etc/passwd".',
    ]);
  });

  it('reports sequencing that does not hold together', () => {
    const manifest = `<manifest identifier="m" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
  <organizations default="O"><organization identifier="O"><title>T</title>
    <item identifier="A" identifierref="R"><title>A</title>
      <imsss:sequencing IDRef="nowhere">
        <imsss:sequencingRules>
          <imsss:preConditionRule><imsss:ruleConditions><imsss:ruleCondition referencedObjective="ghost" condition="satisfied"/></imsss:ruleConditions><imsss:ruleAction action="explode"/></imsss:preConditionRule>
          <imsss:postConditionRule><imsss:ruleConditions><imsss:ruleCondition condition="sunny"/></imsss:ruleConditions><imsss:ruleAction action="retry"/></imsss:postConditionRule>
        </imsss:sequencingRules>
      </imsss:sequencing>
    </item>
    <item identifier="B"><title>Empty</title></item>
  </organization></organizations>
  <resources><resource identifier="R" adlcp:scormType="sco" href="a.html"/></resources>
</manifest>`;
    const { problems, structure } = parseScormManifest(manifest, new Set(['a.html']));
    expect(problems).toEqual([
      'imsmanifest.xml: item A uses sequencing "nowhere", which is not in <imsss:sequencingCollection>.',
      'imsmanifest.xml: item A has a preConditionRule whose action is "explode"; expected one of skip, disabled, hiddenFromChoice, stopForwardTraversal.',
      'imsmanifest.xml: item A has a rule condition "sunny", which SCORM 2004 does not define.',
      'imsmanifest.xml: item B has neither an identifierref nor child items, so it has nothing to launch.',
    ]);
    expect(structure?.organisation.items[0]?.sequencing?.postconditionRules).toEqual([
      { action: 'retry', combination: 'all', conditions: [] },
    ]);
  });

  it('reports a manifest that is not a manifest', () => {
    expect(parseScormManifest('<html><body/></html>', new Set()).problems).toEqual([
      'imsmanifest.xml: the root element is <html>, not <manifest>.',
    ]);
    expect(parseScormManifest('   ', new Set()).problems).toEqual(['imsmanifest.xml: the file is empty.']);
    const nothing =
      '<manifest><organizations><organization identifier="O"><item identifier="I"/></organization></organizations><resources/></manifest>';
    expect(parseScormManifest(nothing, new Set()).problems).toEqual([
      'imsmanifest.xml: no item of organization O launches a resource.',
    ]);
    expect(() => readPackage(zipFiles({ 'imsmanifest.xml': '<manifest identifier="m"/>' }))).toThrow(PackageInvalid);
  });
});

describe('withParameters', () => {
  it.each([
    ['a.html', undefined, 'a.html'],
    ['a.html', '', 'a.html'],
    ['a.html', '?x=1', 'a.html?x=1'],
    ['a.html', 'x=1', 'a.html?x=1'],
    ['a.html?y=2', '?x=1', 'a.html?y=2&x=1'],
    ['a.html?y=2', '&x=1', 'a.html?y=2&x=1'],
    ['a.html', '#part2', 'a.html#part2'],
    ['a.html#top', '#part2', 'a.html#top'],
    ['a.html#top', '?x=1', 'a.html?x=1#top'],
    ['a.html', '?x=1#p', 'a.html?x=1#p'],
  ])('%s + %s → %s', (href, parameters, expected) => {
    expect(withParameters(href, parameters)).toBe(expected);
  });
});

describe('resolveHref', () => {
  it.each([
    [[], 'index.html', 'index.html'],
    [[], './a/./b.html', 'a/b.html'],
    [['content/'], 'x.html', 'content/x.html'],
    [['content'], 'x.html', 'content/x.html'],
    [['content/', 'lesson1/'], '../shared/x.js', 'content/shared/x.js'],
    [['', 'a/'], 'b.html?q=1#f', 'a/b.html?q=1#f'],
    [['a/'], '../../up.html', '../up.html'],
    [['https://cdn.example.org/c/'], 'x.html', 'https://cdn.example.org/c/x.html'],
    [['content/'], 'https://example.org/y', 'https://example.org/y'],
  ])('%j + %s → %s', (bases, href, expected) => {
    expect(resolveHref(bases, href)).toBe(expected);
  });
});
