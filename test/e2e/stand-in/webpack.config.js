/**
 * Builds the stand-in Excel JS API (test/e2e/stand-in/office.ts) into one script that the browser
 * tests serve in place of https://appsforoffice.microsoft.com/lib/1/hosted/office.js.
 *
 *   npx webpack -c test/e2e/stand-in/webpack.config.js   → test/artifacts/e2e/stand-in/office.js
 *
 * ExcelJS and JSZip come in through their browser builds (their package.json "browser" fields).
 * Not minified: it is a test fixture, and a readable stack trace is worth more than the bytes.
 */
"use strict";

const path = require("path");

const ROOT = path.resolve(__dirname, "../../..");
const OUT = path.join(ROOT, "test/artifacts/e2e/stand-in");

module.exports = {
  mode: "production",
  target: ["web", "es2017"],
  entry: path.join(__dirname, "office.ts"),
  output: { path: OUT, filename: "office.js", clean: true },
  resolve: { extensions: [".ts", ".js"] },
  devtool: false,
  optimization: { minimize: false },
  performance: { hints: false },
  module: {
    // The prebuilt browser bundles need no parsing for imports.
    noParse: /node_modules[\\/](exceljs|jszip)[\\/]dist[\\/]/,
    rules: [
      {
        test: /\.ts$/,
        exclude: /node_modules/,
        use: {
          loader: "ts-loader",
          options: {
            transpileOnly: true,
            configFile: path.join(ROOT, "tsconfig.json"),
            compilerOptions: { module: "es2020", target: "es2017", sourceMap: false },
          },
        },
      },
    ],
  },
};

