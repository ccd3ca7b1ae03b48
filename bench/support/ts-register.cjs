/**
 * `node --require ./bench/support/ts-register.cjs file.ts`: compiles TypeScript with the repo's tsconfig through
 * TypeScript's own transpiler (as ts-jest does), and resolves the tsconfig `paths` aliases.
 *
 * Why not tsx: esbuild does not emit decorator metadata (`emitDecoratorMetadata`), and Nest's constructor injection
 * needs it, so a Nest app run under tsx fails with "Nest can't resolve dependencies of ...".
 */
'use strict';
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const crypto = require('node:crypto');

// Transpiled files are cached so that contender processes, started many times, never load the TypeScript compiler
// (tens of MiB that would otherwise show up in every contender's peak RSS).
const cacheDir = path.resolve(__dirname, '..', '..', '.tmp', 'bench-ts-cache');
let ts;
const typescript = () => (ts ??= require('typescript'));

const root = path.resolve(__dirname, '..', '..');
const tsconfigText = fs.readFileSync(path.join(root, 'tsconfig.json'), 'utf8');
// tsconfig.json may hold comments; only the paths aliases are needed without the compiler.
const tsconfig = (() => {
  try {
    return JSON.parse(tsconfigText);
  } catch {
    return typescript().parseConfigFileTextToJson('tsconfig.json', tsconfigText).config;
  }
})();
const baseUrl = path.resolve(root, tsconfig.compilerOptions.baseUrl ?? '.');
const aliases = new Map(
  Object.entries(tsconfig.compilerOptions.paths ?? {}).map(([k, v]) => [k, path.resolve(baseUrl, v[0])]),
);
let compilerOptions;
const options = () => {
  if (compilerOptions) return compilerOptions;
  const parsed = typescript().parseJsonConfigFileContent(tsconfig, typescript().sys, root);
  compilerOptions = {
    ...parsed.options,
    module: typescript().ModuleKind.CommonJS,
    sourceMap: false,
    inlineSourceMap: true,
    declaration: false,
    noEmit: false,
  };
  return compilerOptions;
};

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolveFilename.call(this, aliases.get(request) ?? request, ...rest);
};

require.extensions['.ts'] = function (module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const key = crypto
    .createHash('sha1')
    .update(filename)
    .update('\0')
    .update(tsconfigText)
    .update('\0')
    .update(source);
  const cached = path.join(cacheDir, `${key.digest('hex')}.js`);
  let output;
  try {
    output = fs.readFileSync(cached, 'utf8');
  } catch {
    output = typescript().transpileModule(source, {
      compilerOptions: options(),
      fileName: filename,
    }).outputText;
    fs.mkdirSync(cacheDir, { recursive: true });
    fs.writeFileSync(`${cached}.${process.pid}`, output);
    fs.renameSync(`${cached}.${process.pid}`, cached);
  }
  module._compile(output, filename);
};
