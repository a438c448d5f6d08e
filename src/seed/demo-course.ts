// The demo catalogue's eLearning course: a real SCORM 1.2 package, built in code, that talks to Tessera's player
// like any authoring tool's output (LMSInitialize, lesson_location, suspend_data, score, LMSCommit, LMSFinish), so a
// newcomer can try the player and resume on demo data. Scripts and styles are files of their own: package content is
// served under a CSP without inline scripts in mind, and authoring tools do the same.
import { strToU8, zipSync, type Zippable } from 'fflate';

export const DEMO_COURSE_TITLE = 'Moving and handling: the basics';

const PAGES = [
  {
    heading: 'Why moving and handling matters',
    text: [
      'Lifting, pushing, pulling and carrying are part of most jobs in health and care. Done badly, they injure the ' +
        'people doing them and the people they care for.',
      'The law asks employers to avoid hazardous manual handling where they reasonably can, to assess what cannot be ' +
        'avoided, and to reduce the risk. It asks you to follow the safe systems of work you are given.',
    ],
  },
  {
    heading: 'Think before you move',
    text: [
      'Before any move, think about the task, the individual (you), the load and the environment.',
      'Ask: does this need to be moved at all? Is there equipment to help? Is the space clear? Do I need a colleague?',
      'If the person you are helping can move themselves with guidance, encourage it: it keeps their independence.',
    ],
  },
  {
    heading: 'Check what you know',
    text: [
      'Question: a colleague asks you to help lift a patient from the floor with no equipment. What should you do?',
      'Answer: do not lift. Make the person comfortable and safe, call for help, and use the hoist or the equipment ' +
        'your local policy names. Manual lifting of a person from the floor is almost never safe.',
    ],
  },
];

const MANIFEST = `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="TESSERA-DEMO-MH" version="1.0"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
  </metadata>
  <organizations default="ORG-MH">
    <organization identifier="ORG-MH">
      <title>${DEMO_COURSE_TITLE}</title>
      <item identifier="ITEM-MH" identifierref="RES-MH" isvisible="true">
        <title>${DEMO_COURSE_TITLE}</title>
        <adlcp:masteryscore>80</adlcp:masteryscore>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="RES-MH" type="webcontent" adlcp:scormtype="sco" href="index.html">
      <file href="index.html"/>
      <file href="course.js"/>
      <file href="course.css"/>
    </resource>
  </resources>
</manifest>
`;

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const INDEX_HTML = `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${DEMO_COURSE_TITLE}</title>
<link rel="stylesheet" href="course.css">
<script src="course.js" defer></script>
</head>
<body>
<main>
<p id="where" class="where"></p>
${PAGES.map(
  (page, i) => `<section id="page-${i + 1}" hidden>
<h1 tabindex="-1">${escapeHtml(page.heading)}</h1>
${page.text.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}
</section>`,
).join('\n')}
<p id="done" class="done" role="status"></p>
<button type="button" id="back">Previous page</button>
<button type="button" id="next">Next page</button>
<button type="button" id="finish" hidden>Finish the course</button>
</main>
</body>
</html>
`;

const COURSE_CSS = `body { font-family: Arial, Helvetica, sans-serif; margin: 0; color: #212b32; background: #fff; line-height: 1.5; }
main { max-width: 42rem; padding: 1rem 1.5rem; }
h1 { font-size: 1.75rem; }
.where { color: #4c6272; }
.done { font-weight: bold; }
button { font-size: 1rem; padding: 0.5rem 1rem; margin: 0.25rem 0.5rem 0.25rem 0; color: #fff; background: #007f3b; border: 0; border-radius: 4px; cursor: pointer; }
button:focus { outline: 3px solid #ffeb3b; box-shadow: 0 4px 0 #212b32; }
button:disabled { background: #768692; cursor: not-allowed; }
[hidden] { display: none !important; }
`;

const COURSE_JS = `(function () {
  var PAGES = ${PAGES.length};
  function findApi(win) {
    for (var tries = 0; win && tries < 10; tries++) {
      try { if (win.API) return win.API; } catch (e) { /* another origin: keep climbing */ }
      if (!win.parent || win.parent === win) break;
      win = win.parent;
    }
    return null;
  }
  var api = findApi(window) || (window.opener ? findApi(window.opener) : null);
  var started = Date.now();
  var page = 1;
  if (api) {
    api.LMSInitialize('');
    var saved = parseInt(api.LMSGetValue('cmi.core.lesson_location'), 10);
    if (saved >= 1 && saved <= PAGES) page = saved;
  }
  function sessionTime() {
    var s = Math.round((Date.now() - started) / 1000);
    function two(n) { return (n < 10 ? '0' : '') + n; }
    return two(Math.floor(s / 3600)) + ':' + two(Math.floor((s % 3600) / 60)) + ':' + two(s % 60);
  }
  function show(n, focus) {
    page = n;
    for (var i = 1; i <= PAGES; i++) document.getElementById('page-' + i).hidden = i !== n;
    document.getElementById('where').textContent = 'Page ' + n + ' of ' + PAGES;
    document.getElementById('back').disabled = n === 1;
    document.getElementById('next').hidden = n === PAGES;
    document.getElementById('finish').hidden = n !== PAGES;
    if (focus) document.querySelector('#page-' + n + ' h1').focus();
    if (api) {
      api.LMSSetValue('cmi.core.lesson_location', String(n));
      api.LMSSetValue('cmi.suspend_data', 'page=' + n);
      if (api.LMSGetValue('cmi.core.lesson_status') === 'not attempted') api.LMSSetValue('cmi.core.lesson_status', 'incomplete');
      api.LMSSetValue('cmi.core.exit', 'suspend');
      api.LMSCommit('');
    }
  }
  document.getElementById('back').addEventListener('click', function () { show(page - 1, true); });
  document.getElementById('next').addEventListener('click', function () { show(page + 1, true); });
  document.getElementById('finish').addEventListener('click', function () {
    if (api) {
      api.LMSSetValue('cmi.core.score.min', '0');
      api.LMSSetValue('cmi.core.score.max', '100');
      api.LMSSetValue('cmi.core.score.raw', '100');
      api.LMSSetValue('cmi.core.lesson_status', 'passed');
      api.LMSSetValue('cmi.core.exit', '');
      api.LMSSetValue('cmi.core.session_time', sessionTime());
      api.LMSCommit('');
      api.LMSFinish('');
    }
    document.getElementById('finish').disabled = true;
    document.getElementById('done').textContent = 'You have finished the course. You can close it now.';
  });
  window.addEventListener('pagehide', function () {
    if (api && !document.getElementById('finish').disabled) {
      api.LMSSetValue('cmi.core.session_time', sessionTime());
      api.LMSCommit('');
      api.LMSFinish('');
    }
  });
  show(page, false);
})();
`;

/** The demo course as a SCORM 1.2 zip, as an educator would upload it. */
export function demoCoursePackage(): Uint8Array {
  const files: Zippable = {
    'imsmanifest.xml': strToU8(MANIFEST),
    'index.html': strToU8(INDEX_HTML),
    'course.js': strToU8(COURSE_JS),
    'course.css': strToU8(COURSE_CSS),
  };
  return zipSync(files, { level: 6, mtime: new Date('2026-01-01T00:00:00Z') });
}
