// Reads an uploaded learning package — SCORM 1.2, SCORM 2004 or cmi5 — from its zip bytes: safe unzip, kind
// detection, structure and a complete report of what is wrong. Pure: no database, no network, no disk.

import { CMI5_FILE, parseCmi5Course } from './cmi5.course.js';
import { PackageInvalid, refuseIfProblems, type ParsedPackage, type PackageFile } from './package.types.js';
import { MANIFEST, parseScormManifest } from './scorm.manifest.js';
import { decodeXml } from './xml.js';
import { contentTypeFor, readZip } from './zip.js';

export interface ReadPackageOptions {
  /** Most bytes the zip may inflate to; default 500 MB. */
  maxBytes?: number;
}

/**
 * Reads a package zip. imsmanifest.xml at the root makes it SCORM (its schemaversion or namespaces say 1.2 or
 * 2004); cmi5.xml at the root makes it cmi5 (preferred when both are present). Throws PackageInvalid listing every
 * problem found, for an unsafe or damaged zip, a missing or broken manifest, or content the manifest names but the
 * zip lacks.
 */
export function readPackage(zip: Uint8Array, options: ReadPackageOptions = {}): ParsedPackage {
  const files = unwrapFolder(readZip(zip, options).filter((f) => !isJunk(f.path)));
  const byPath = new Map(files.map((f) => [f.path, f]));
  const paths = new Set(byPath.keys());
  const cmi5 = byPath.get(CMI5_FILE);
  if (cmi5 !== undefined) {
    const { structure, problems } = parseCmi5Course(decodeXml(cmi5.content), paths);
    refuseIfProblems('cmi5 course', problems);
    if (structure === undefined) throw new PackageInvalid('The cmi5 course cannot be read.', []);
    return { kind: 'cmi5', title: structure.course.title, description: structure.course.description, structure, files };
  }
  const manifest = byPath.get(MANIFEST);
  if (manifest === undefined) {
    const nested = files.find((f) => f.path.endsWith(`/${MANIFEST}`) || f.path.endsWith(`/${CMI5_FILE}`));
    const hint =
      nested === undefined
        ? ''
        : ` There is one at "${nested.path}": zip the package's contents, not a folder holding them.`;
    const problem = `The zip has no ${MANIFEST} (SCORM) or ${CMI5_FILE} (cmi5) at its root, so it is not a SCORM or cmi5 package.${hint}`;
    throw new PackageInvalid('The zip is not a SCORM or cmi5 package.', [problem]);
  }
  const { structure, description, problems } = parseScormManifest(decodeXml(manifest.content), paths);
  refuseIfProblems('SCORM package', problems);
  if (structure === undefined) throw new PackageInvalid('The SCORM manifest cannot be read.', []);
  return { kind: structure.kind, title: structure.title, description, structure, files };
}

/**
 * Reads a cmi5.xml uploaded on its own (cmi5 spec 14.2): every AU url must be absolute, as there is no content to
 * serve. Throws PackageInvalid listing every problem found.
 */
export function readCmi5Xml(xml: string | Uint8Array): ParsedPackage {
  const bytes = typeof xml === 'string' ? new TextEncoder().encode(xml) : xml;
  const { structure, problems } = parseCmi5Course(decodeXml(bytes));
  refuseIfProblems('cmi5 course', problems);
  if (structure === undefined) throw new PackageInvalid('The cmi5 course cannot be read.', []);
  const file: PackageFile = { path: CMI5_FILE, contentType: contentTypeFor(CMI5_FILE), content: bytes };
  return {
    kind: 'cmi5',
    title: structure.course.title,
    description: structure.course.description,
    structure,
    files: [file],
  };
}

/** Files that zip tools add and no package means: macOS resource forks and Finder/Explorer metadata. */
function isJunk(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return path.startsWith('__MACOSX/') || name === '.DS_Store' || name === 'Thumbs.db';
}

/**
 * People often zip the folder instead of its contents. When every file sits in one top folder and that folder
 * holds the manifest, the folder is taken as the package root.
 */
function unwrapFolder(files: PackageFile[]): PackageFile[] {
  if (files.some((f) => f.path === MANIFEST || f.path === CMI5_FILE)) return files;
  const top = files[0]?.path.split('/')[0];
  if (top === undefined || !files.every((f) => f.path.startsWith(`${top}/`))) return files;
  const inner = files.map((f) => ({ ...f, path: f.path.slice(top.length + 1) }));
  return inner.some((f) => f.path === MANIFEST || f.path === CMI5_FILE) ? inner : files;
}
