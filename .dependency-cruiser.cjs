// The floors of src/, top to bottom: a folder may import its own floor and the floors below,
// never one above, and no import circle may span folders. `npm run lint` checks it
// (`depcruise src`); a new folder must be placed here before it can be imported.
const FLOORS = [
  ["cli"],
  ["up"],
  ["lifecycle"],
  ["watch", "doctor", "init", "convert"],
  ["compare"],
  ["addons", "seed"],
  ["cluster"],
  ["kube", "compose"],
  ["images"],
  ["config", "docker"],
  ["exec", "files", "wait", "runner"],
  ["errors"],
  ["ui", "redact", "debug", "model"],
];

const placed = FLOORS.flat();
const above = (i) => FLOORS.slice(0, i).flat();

module.exports = {
  forbidden: [
    ...FLOORS.flatMap((floor, i) =>
      i === 0
        ? []
        : floor.map((folder) => ({
            name: `${folder}-imports-upward`,
            comment: `src/${folder} is on floor ${i}: it may not import ${above(i).join(", ")}`,
            severity: "error",
            from: { path: `^src/${folder}/` },
            to: { path: `^src/(${above(i).join("|")})/` },
          })),
    ),
    {
      name: "unplaced-folder",
      comment: "every folder of src/ has a floor in .dependency-cruiser.cjs",
      severity: "error",
      from: { path: "^src/[^/]+/" },
      to: { path: "^src/[^/]+/", pathNot: `^src/(${placed.join("|")})/` },
    },
    {
      name: "no-circle-across-folders",
      comment: "an import circle that spans two folders ties them into one",
      severity: "error",
      from: { path: "^src/([^/]+)/" },
      to: { circular: true, pathNot: "^src/$1/" },
    },
    {
      name: "nothing-imports-cli",
      comment: "src/cli is the top floor: only src/cli (and the bin) import it",
      severity: "error",
      from: { path: "^src/", pathNot: "^src/cli/" },
      to: { path: "^src/cli/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    exclude: { path: "^(test|bench|fixtures|dist)/" },
  },
};
