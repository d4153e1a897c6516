// The import-direction rule of `npm run lint` (lint/layer_imports.js): a layer imports only the
// layers below it, and one vendor's folder never another's.
import { RuleTester } from "eslint";
import * as path from "path";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const rule = require("../../lint/layer_imports");

const ROOT = path.join(__dirname, "..", "..");
const at = (file: string) => path.join(ROOT, "src", file);

describe("lint: imports follow the layers", () => {
  const tester = new RuleTester({ languageOptions: { ecmaVersion: 2022, sourceType: "module" } });
  const options = [{ srcRoot: path.join(ROOT, "src") }];

  // RuleTester makes a describe and an it of each case.
  tester.run("layer-imports", rule, {
    valid: [
      { filename: at("integrations/acme/acme.ts"), options,
        code: "import { x } from \"../../families/webhook/webhook_post\";" },
      { filename: at("integrations/acme/acme.ts"), code: "import { x } from \"./acme_api\";", options },
      { filename: at("integrations/index.ts"), code: "import { x } from \"./acme/acme\";", options },
      { filename: at("hub/registry.ts"), code: "import { x } from \"../lib/logger\";", options },
      { filename: at("lib/object_stores/s3.ts"), code: "import { x } from \"../../config\";", options },
      { filename: at("server/app.ts"), code: "import { x } from \"../console/samples\";", options },
      { filename: at("boot.ts"), code: "import { x } from \"./server/app\";", options },
      { filename: at("process/cluster.ts"), code: "import { x } from \"../boot\";", options },
      { filename: at("lib/logger.ts"), code: "import * as winston from \"winston\";", options },
      { filename: path.join(ROOT, "test/x.ts"), code: "import { x } from \"../src/server/app\";", options },
    ],
    invalid: [
      { filename: at("lib/logger.ts"), code: "import { x } from \"../hub/integration\";", options,
        errors: [{ messageId: "upward" }] },
      { filename: at("lib/object_stores/s3.ts"), code: "import { x } from \"../../data/body/base64\";", options,
        errors: [{ messageId: "upward" }] },
      { filename: at("hub/registry.ts"), code: "const x = require(\"../data/rows/rows\");", options,
        errors: [{ messageId: "upward" }] },
      { filename: at("families/mail/x.ts"), code: "export { y } from \"../../integrations/email/email\";", options,
        errors: [{ messageId: "upward" }] },
      { filename: at("server/app.ts"), code: "import { x } from \"../process/dev_banner\";", options,
        errors: [{ messageId: "upward" }] },
      { filename: at("config/index.ts"), code: "import(\"../lib/logger\");", options,
        errors: [{ messageId: "upward" }] },
      { filename: at("integrations/google_sheets/google_sheets.ts"),
        code: "import { x } from \"../google_drive/google_drive\";", options, errors: [{ messageId: "vendor" }] },
      { filename: at("attic/old.ts"), code: "import { x } from \"../lib/logger\";", options,
        errors: [{ messageId: "unknown" }] },
    ],
  });
});
