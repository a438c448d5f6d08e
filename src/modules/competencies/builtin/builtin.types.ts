// The shape of Tessera's built-in competency frameworks: the structure comes from public frameworks
// (../shared/frameworks), the wording is Tessera's own. Seeded on first start (frameworks.seed.ts).

/** One step of a framework's level scale, e.g. 1 "Foundation" … 4 "Expert". */
export interface FrameworkLevel {
  level: number;
  label: string;
  description: string;
}

/** An item of a built-in framework: a domain, sub-domain, subject or capability statement. */
export interface BuiltinItem {
  /** Stable within the framework (e.g. "EDHR", "2.1", "2.1.3"); the item's identifier is derived from it. */
  key: string;
  /** The code people see beside the item (CASE humanCodingScheme), e.g. "CSTF.EDHR" or "DCF.2.3". */
  code: string;
  /** CASE CFItemType: "Subject", "Domain", "Sub-domain" or "Capability". */
  type: string;
  /** Tessera's own wording: one or two plain-English sentences. */
  statement: string;
  /** A short label for menus and charts (CASE abbreviatedStatement), when the statement is long. */
  abbreviated?: string;
  notes?: string;
  /** The levels of the framework's scale this item is assessed or trained at, with refresher periods (CSTF). */
  levels?: { level: number; refresherMonths?: number }[];
  children?: BuiltinItem[];
}

export interface BuiltinFramework {
  key: 'cstf' | 'digital-capability' | 'ai-capability' | 'knowledge-mobilisation' | 'tel-maturity';
  title: string;
  description: string;
  /** CASE CFDocument creator and publisher. */
  creator: string;
  publisher: string;
  /** The version of the public framework this follows, e.g. "2018". */
  version: string;
  /** Where the structure comes from, for the framework's page (attribution). */
  basedOn: string;
  levels: FrameworkLevel[];
  items: BuiltinItem[];
}
