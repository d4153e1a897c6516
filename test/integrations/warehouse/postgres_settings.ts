// PostgreSQL as the suite-wide tests run it (test/helpers/suite_settings.ts): the suite's real
// PostgreSQL, each delivery appended to one table (created by the first).
import { sharedPostgres } from "../../fakes/postgres_server";
import { SuiteSettings } from "../../helpers/suite_settings";

export const settings: SuiteSettings = {
  integrations: ["postgres"],
  async lookerShapes() {
    const pg = await sharedPostgres();
    const table = `looker_shapes_${process.pid}`;
    return {
      deliveries: { postgres: { data: { connection_url: pg.url() }, form: { table, write: "create" } } },
    };
  },
};
