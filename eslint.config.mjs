/**
 * ESLint flat config for `office-addin-lint check|fix` (office-addin-lint 3 runs
 * `eslint -c <cwd>/eslint.config.mjs "src/**\/*.{ts,tsx,js,jsx}"` when this file exists, and its
 * own bundled config otherwise). Plain `npx eslint` finds this file too.
 *
 * - eslint-plugin-office-addins "recommended": @eslint/js recommended, eslint-config-prettier and
 *   the Office.js rules (load before read, sync after load, no sync in a loop, isNullObject …).
 *   Its config carries its own nested copy of @typescript-eslint (8.8, older than our
 *   TypeScript); the same plugin name cannot be registered twice, so the project's
 *   typescript-eslint (plugin + parser) is swapped in.
 * - typescript-eslint "recommended" (syntax only, no type information: fast, no tsconfig needed).
 * - Prettier formatting is enforced in src/taskpane (the add-in UI, written to the Office
 *   template's style: office-addin-prettier-config, width 100, es5 trailing commas). The Node
 *   code (engine, contract, report, hosts, cli, i18n) is not prettier-formatted, so formatting is
 *   not a lint error there; run `office-addin-lint prettier` over it to opt in, then widen
 *   PRETTIER_FILES.
 */
import officeAddins from "eslint-plugin-office-addins";
import tseslint from "typescript-eslint";
import globals from "globals";
import officeAddinPrettierConfig from "office-addin-prettier-config";

const TS_JS_FILES = ["**/*.{js,mjs,cjs,jsx,ts,cts,mts,tsx}"];
const BROWSER_FILES = ["src/taskpane/**", "src/hosts/excel/**"];
const PRETTIER_FILES = ["src/taskpane/**/*.{ts,tsx,js,jsx}"];

/** officeAddins.configs.recommended with the project's typescript-eslint swapped in. */
const officeRecommended = officeAddins.configs.recommended.map((config) => {
  const swapped = { ...config };
  if (config.plugins?.["@typescript-eslint"]) {
    swapped.plugins = { ...config.plugins, "@typescript-eslint": tseslint.plugin };
  }
  if (config.languageOptions?.parser) {
    swapped.languageOptions = { ...config.languageOptions, parser: tseslint.parser };
  }
  // The plugin's TS block lists js/ts but not jsx/tsx: widen it for the React pane to come.
  if (config.files) swapped.files = TS_JS_FILES;
  return swapped;
});

export default tseslint.config(
  {
    ignores: [
      "lib/**",
      "dist/**",
      "node_modules/**",
      "coverage/**",
      "out/**",
      "bench/out/**",
      "test/artifacts/**",
    ],
  },
  ...officeRecommended,
  // typescript-eslint recommended, minus re-registering the plugin/parser set above.
  ...tseslint.configs.recommended.map((config) => {
    const { plugins: _plugins, languageOptions: _languageOptions, ...rest } = config;
    return rest;
  }),
  {
    files: TS_JS_FILES,
    languageOptions: {
      parser: tseslint.parser,
      ecmaVersion: "latest",
      sourceType: "module",
      globals: { ...globals.es2022, ...globals.node },
    },
    rules: {
      // Formatting: see PRETTIER_FILES below.
      "prettier/prettier": "off",
      // `_`-prefixed names are deliberately unused (destructuring away, placeholder args).
      "@typescript-eslint/no-unused-vars": [
        "error",
        {
          argsIgnorePattern: "^_",
          varsIgnorePattern: "^_",
          caughtErrorsIgnorePattern: "^_",
          destructuredArrayIgnorePattern: "^_",
        },
      ],
    },
  },
  {
    files: BROWSER_FILES,
    languageOptions: {
      globals: { ...globals.es2022, ...globals.browser, Office: "readonly", Excel: "readonly" },
    },
  },
  // DESIGN.md "Rooms": dependencies point one way, and the core is host-free (it is bundled into
  // the task pane as well as run by the CLI).
  {
    files: ["src/**"],
    ignores: ["src/taskpane/**", "src/cli/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/taskpane", "**/taskpane/**", "**/cli", "**/cli/**"],
              message: "Nothing imports the task pane or the CLI (DESIGN.md).",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["src/engine/**", "src/contract/**", "src/report/**", "src/i18n/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/taskpane", "**/taskpane/**", "**/cli", "**/cli/**"],
              message: "Nothing imports the task pane or the CLI (DESIGN.md).",
            },
            {
              group: ["node:*", "fs", "fs/*", "path", "os", "child_process", "exceljs"],
              message:
                "engine, contract, report and i18n are host-free: no Node built-ins or ExcelJS (DESIGN.md).",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["src/engine/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [
                "**/contract",
                "**/contract/**",
                "**/report",
                "**/report/**",
                "**/hosts",
                "**/hosts/**",
                "**/i18n",
                "**/i18n/**",
                "**/taskpane",
                "**/taskpane/**",
                "**/cli",
                "**/cli/**",
              ],
              message: "The engine imports nothing of the others (DESIGN.md).",
            },
            {
              group: ["node:*", "fs", "fs/*", "path", "os", "child_process", "exceljs"],
              message: "The engine is host-free: no Node built-ins or ExcelJS (DESIGN.md).",
            },
          ],
        },
      ],
    },
  },
  {
    files: PRETTIER_FILES,
    rules: {
      "prettier/prettier": ["error", { ...officeAddinPrettierConfig, endOfLine: "auto" }],
    },
  },
  {
    // CommonJS build scripts and config files (webpack.config.js, scripts/*.js, jest.config.js).
    files: ["**/*.{js,cjs}"],
    languageOptions: { sourceType: "commonjs" },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  }
);
