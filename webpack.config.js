/**
 * Task pane bundle for the Target Cascade Excel add-in.
 *
 *   webpack --mode production     → dist/: taskpane.html, taskpane.[contenthash].js and
 *                                   vendor.[contenthash].js (the first screen), the chunks loaded on
 *                                   demand (plan, pipeline, excel-host …), support.html, assets/,
 *                                   manifest.xml (URLs rewritten for production)
 *   webpack serve --mode development
 *                                 → https://localhost:3000/ with office-addin-dev-certs certificates
 *                                   (needs the webpack-dev-server package)
 *
 * Production URL: the manifest is written for https://localhost:3000/. A production build
 * rewrites that prefix to $ADDIN_PROD_URL, whose placeholder https://target-cascade.example.com/
 * must be replaced by the real host before the manifest is deployed.
 *
 * Office.js is never bundled: taskpane.html loads it from appsforoffice.microsoft.com and the
 * code uses the `Office` / `Excel` globals (types from @types/office-js), so no externals are needed.
 */
"use strict";

const path = require("path");
const HtmlWebpackPlugin = require("html-webpack-plugin");
const CopyWebpackPlugin = require("copy-webpack-plugin");

const DEV_PORT = 3000;
const URL_DEV = `https://localhost:${DEV_PORT}/`;
const URL_PROD_PLACEHOLDER = "https://target-cascade.example.com/";

/** The production base URL: https, ending in "/". */
function productionUrl() {
  let url = process.env.ADDIN_PROD_URL || URL_PROD_PLACEHOLDER;
  if (!url.endsWith("/")) url += "/";
  if (!/^https:\/\/[^/]+\//.test(url)) {
    throw new Error(`ADDIN_PROD_URL must be an https URL, got "${url}"`);
  }
  return url;
}

/**
 * The manifest for production: every https://localhost:3000/… URL moves to `urlProd`, and the
 * bare origin (AppDomains) to urlProd's origin. Exported for the manifest tests.
 */
function rewriteManifest(xml, urlProd) {
  const origin = new URL(urlProd).origin;
  return xml.split(URL_DEV).join(urlProd).split(URL_DEV.slice(0, -1)).join(origin);
}

async function httpsOptions() {
  // Only for `webpack serve`: creates and trusts a localhost certificate on first use.
  const devCerts = require("office-addin-dev-certs");
  const { ca, key, cert } = await devCerts.getHttpsServerOptions();
  return { ca, key, cert };
}

module.exports = async (env = {}, argv = {}) => {
  const dev = argv.mode !== "production";
  const urlProd = dev ? URL_DEV : productionUrl();

  return {
    mode: dev ? "development" : "production",
    devtool: "source-map",
    target: ["web", "es2017"],
    entry: {
      taskpane: "./src/taskpane/index.tsx",
    },
    output: {
      path: path.resolve(__dirname, "dist"),
      filename: dev ? "[name].js" : "[name].[contenthash].js",
      chunkFilename: dev ? "[name].js" : "[name].[contenthash].js",
      publicPath: "auto",
      clean: true,
    },
    resolve: {
      extensions: [".ts", ".tsx", ".js", ".jsx"],
    },
    module: {
      rules: [
        {
          test: /\.tsx?$/,
          exclude: /node_modules/,
          use: {
            loader: "ts-loader",
            options: {
              transpileOnly: true,
              // tsconfig.json targets Node (commonjs); the pane wants ES modules for
              // tree shaking and syntax every supported Office webview runs.
              compilerOptions: { module: "es2020", target: "es2017", sourceMap: true },
            },
          },
        },
      ],
    },
    optimization: {
      // The first screen (taskpane + vendor: React, Fluent UI's Inputs step) loads up front; the
      // Plan step, the planning pipeline (contract, engine, report) and the Office.js host are
      // dynamic imports, so they and the node_modules only they use stay in chunks loaded on
      // demand. Modules two lazy chunks share go to a shared lazy chunk (webpack's defaults).
      splitChunks: {
        cacheGroups: {
          vendor: {
            test: /[\\/]node_modules[\\/]/,
            name: "vendor",
            chunks: "initial",
            priority: 10,
          },
        },
      },
    },
    plugins: [
      new HtmlWebpackPlugin({
        filename: "taskpane.html",
        template: "./src/taskpane/taskpane.html",
        chunks: ["taskpane"],
        templateParameters: {
          // Live reload talks over a websocket, which 'self' does not cover in every webview.
          cspDevConnect: dev ? ` wss://localhost:${DEV_PORT}` : "",
        },
      }),
      new HtmlWebpackPlugin({
        filename: "support.html",
        template: "./src/taskpane/support.html",
        chunks: [],
      }),
      new CopyWebpackPlugin({
        patterns: [
          { from: "assets/*.png", to: "assets/[name][ext]" },
          {
            from: "manifest*.xml",
            to: "[name][ext]",
            transform(content) {
              return dev ? content : rewriteManifest(content.toString(), urlProd);
            },
          },
        ],
      }),
    ],
    performance: {
      hints: dev ? false : "warning",
    },
    devServer: env.WEBPACK_SERVE
      ? {
          port: Number(process.env.npm_package_config_dev_server_port) || DEV_PORT,
          headers: { "Access-Control-Allow-Origin": "*" },
          server: { type: "https", options: await httpsOptions() },
          // Everything (bundle, html, assets, manifest) is served from memory, never a stale dist/.
          static: false,
          hot: false,
          liveReload: true,
        }
      : undefined,
  };
};

module.exports.rewriteManifest = rewriteManifest;
module.exports.URL_DEV = URL_DEV;
module.exports.URL_PROD_PLACEHOLDER = URL_PROD_PLACEHOLDER;
