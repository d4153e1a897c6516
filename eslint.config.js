// ESLint (flat config) with typescript-eslint: `npm run lint`, and so `npm test`, runs it over
// everything the type check covers. The style rules are the ones the project kept under TSLint
// (double quotes, semicolons, 120 columns, trailing commas on multi-line lists, no shadowing...);
// the convention rules are the house's: only Error objects are thrown, no console in src/, the
// environment is read in src/config/index.ts alone, and imports follow the layers
// (lint/layer_imports.js, docs/architecture.md).
"use strict";
const stylistic = require("@stylistic/eslint-plugin");
const tseslint = require("typescript-eslint");
const layerImports = require("./lint/layer_imports");

const house = { rules: { "layer-imports": layerImports } };

module.exports = tseslint.config(
  { ignores: ["node_modules/**", "dist/**", "src/console/page/**", "**/*.js", "**/*.d.ts"] },
  {
    files: ["**/*.ts"],
    languageOptions: {
      parser: tseslint.parser,
      // Type information for only-throw-error (what is thrown must be an Error).
      parserOptions: { projectService: true, tsconfigRootDir: __dirname },
    },
    plugins: { "@typescript-eslint": tseslint.plugin, "@stylistic": stylistic, house },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // Style, as kept under TSLint (tslint.json until this file replaced it).
      "@stylistic/quotes": ["error", "double", { avoidEscape: true, allowTemplateLiterals: "always" }],
      "@stylistic/semi": ["error", "always"],
      "@stylistic/max-len": ["error", { code: 120, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true }],
      "@stylistic/comma-dangle": ["error", {
        arrays: "always-multiline", objects: "always-multiline", imports: "always-multiline",
        exports: "always-multiline", functions: "always-multiline", enums: "always-multiline",
      }],
      "@stylistic/no-trailing-spaces": "error",
      "@stylistic/spaced-comment": ["error", "always", { markers: ["/"], exceptions: ["-", "="] }],
      "@stylistic/new-parens": "error",
      "@typescript-eslint/no-shadow": ["error", {
        ignoreTypeValueShadow: true, ignoreFunctionTypeParameterNameValueShadow: true,
      }],
      "@typescript-eslint/naming-convention": ["error",
        { selector: "variable", format: ["camelCase", "UPPER_CASE", "PascalCase"], leadingUnderscore: "allow" },
        { selector: "parameter", format: ["camelCase", "PascalCase"], leadingUnderscore: "allow" },
        { selector: "typeLike", format: ["PascalCase"] },
      ],
      // What tslint:recommended checked and the code relies on.
      "@typescript-eslint/adjacent-overload-signatures": "error",
      "@typescript-eslint/no-wrapper-object-types": "error",
      "@typescript-eslint/no-unsafe-function-type": "error",
      "@typescript-eslint/prefer-function-type": "error",
      "@typescript-eslint/consistent-type-assertions": "error",
      "@typescript-eslint/no-misused-new": "error",
      "@typescript-eslint/prefer-namespace-keyword": "error",
      "@typescript-eslint/triple-slash-reference": "error",
      "@typescript-eslint/no-unused-expressions": "error",
      "@typescript-eslint/no-require-imports": ["error", { allowAsImport: true }],
      "@typescript-eslint/prefer-for-of": "error",
      "@typescript-eslint/unified-signatures": "error",
      "guard-for-in": "error",
      "no-caller": "error",
      "no-cond-assign": "error",
      "no-new-wrappers": "error",
      "no-debugger": "error",
      "no-empty": "error",
      "no-eval": "error",
      "dot-notation": "error",
      "no-undef-init": "error",
      "no-unsafe-finally": "error",
      "no-var": "error",
      "object-shorthand": "error",
      "prefer-const": ["error", { ignoreReadBeforeAssign: true }],
      "radix": "error",
      "eqeqeq": ["error", "always", { null: "ignore" }],
      "use-isnan": "error",
      "no-console": "error",
      // The house's conventions (docs/architecture.md): only Error objects are thrown.
      "@typescript-eslint/only-throw-error": "error",
    },
  },
  {
    // The service itself: the environment is read once, by the configuration module, and imports
    // follow the layers.
    files: ["src/**/*.ts"],
    rules: {
      "house/layer-imports": "error",
      "no-restricted-properties": ["error", {
        object: "process", property: "env",
        // Also catches `const { env } = process`.
        message: "Only src/config/index.ts reads the environment: add a setting there and hand it over.",
      }],
    },
  },
  {
    files: ["src/config/index.ts"],
    rules: { "no-restricted-properties": "off" },
  },
);
