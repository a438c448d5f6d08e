// The built-in self-assessment tools (assessments.builtin.ts), seeded on start after the built-in frameworks. A
// release that changes a tool's questions stores a new version; responses keep the version they were started on.

import { isDeepStrictEqual } from 'node:util';
import type { Db } from '../../db/connection.js';
import { isUniqueViolation } from '../../db/errors.js';
import { definitionProblems } from './assessments.engine.js';
import { BUILTIN_TOOLS, type BuiltinTool } from './assessments.builtin.js';
import * as store from './assessments.store.js';
import { builtinIdentifier } from './frameworks.seed.js';

function sameTool(held: store.ToolRow, tool: BuiltinTool): boolean {
  return (
    held.title === tool.title &&
    held.description === tool.description &&
    held.paging === tool.paging &&
    held.respondent === tool.respondent &&
    isDeepStrictEqual(held.definition, tool.definition)
  );
}

/** Stores each built-in tool that is missing or changed; returns the keys stored. Safe to run on every start. */
export async function seedBuiltinTools(db: Db, tools: readonly BuiltinTool[] = BUILTIN_TOOLS): Promise<string[]> {
  const stored: string[] = [];
  for (const tool of tools) {
    const problems = definitionProblems(tool.definition);
    if (problems.length > 0) throw new Error(`Built-in tool ${tool.key} is not valid: ${problems.join('; ')}`);
    const held = await store.latestTool(db, tool.key);
    if (held !== undefined && sameTool(held, tool)) continue;
    try {
      await store.insertTool(db, {
        key: tool.key,
        version: (held?.version ?? 0) + 1,
        respondent: tool.respondent,
        title: tool.title,
        description: tool.description,
        frameworkIdentifier: builtinIdentifier(tool.framework.key),
        paging: tool.paging,
        definition: tool.definition,
        organisationId: null,
      });
      stored.push(tool.key);
    } catch (error) {
      // Another process stored this version a moment ago.
      if (!isUniqueViolation(error)) throw error;
    }
  }
  return stored;
}
