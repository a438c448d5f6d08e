import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { viewsDirOf } from '../../platform/views.js';
import type { AppContext } from '../../server.js';
import { assessmentRoutes } from './assessments.routes.js';
import { evidenceRoutes } from './evidence.routes.js';
import { frameworksApiRoutes } from './frameworks.api.js';
import { frameworkAuthoringRoutes } from './frameworks.authoring.routes.js';
import { frameworkRoutes } from './frameworks.routes.js';
import { organisationAssessmentRoutes } from './org-assessments.routes.js';
import { seedBuiltinFrameworks } from './frameworks.seed.js';
import { seedBuiltinTools } from './assessments.seed.js';
import { roleProfileRoutes } from './role-profiles.routes.js';
import { signpostRoutes } from './signposts.routes.js';
import { skillsReportRoutes } from './skills-report.routes.js';

/** Competency frameworks (CASE import and export, built-in frameworks): pages and API. */
export const competenciesModule = {
  viewDirs: [viewsDirOf(import.meta.url)],
  plugin: fp(
    async (app: FastifyInstance, { ctx }: { ctx: AppContext }) => {
      // Built-in frameworks are there from the first start, for every organisation, before any request.
      app.addHook('onReady', async () => {
        const stored = await seedBuiltinFrameworks(ctx.db, ctx.config.publicUrl);
        if (stored.length > 0) app.log.info({ frameworks: stored }, 'built-in competency frameworks stored');
        const tools = await seedBuiltinTools(ctx.db);
        if (tools.length > 0) app.log.info({ tools }, 'built-in self-assessment tools stored');
      });
      await app.register(frameworksApiRoutes, { ctx });
      await app.register(frameworkRoutes, { ctx });
      await app.register(frameworkAuthoringRoutes, { ctx });
      await app.register(roleProfileRoutes, { ctx });
      await app.register(skillsReportRoutes, { ctx });
      await app.register(evidenceRoutes, { ctx });
      await app.register(assessmentRoutes, { ctx });
      await app.register(signpostRoutes, { ctx });
      await app.register(organisationAssessmentRoutes, { ctx });
    },
    { name: 'competencies', dependencies: ['web', 'session'] },
  ),
};
