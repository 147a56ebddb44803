import type { PaneSetup } from "../../src/hosts/addin";
import { compactOverrides, emptySetup, mergeSetup, readSetup, setupKey } from "../../src/taskpane/model/setup";

describe("the setup remembered in the workbook", () => {
  it("comes back as saved", () => {
    const setup: PaneSetup = {
      choices: { history: "Sales", targets: "目标" },
      plan: { levels: ["区域", "Rep"], grain: "Quarter", methods: { Rep: "Equal" }, unit: 100, floorRatio: 0.8 },
    };
    expect(readSetup(JSON.parse(JSON.stringify(setup)))).toEqual(setup);
  });

  it("keeps only the well-typed parts of something else", () => {
    expect(readSetup(undefined)).toEqual(emptySetup());
    expect(readSetup("nonsense")).toEqual(emptySetup());
    expect(
      readSetup({
        choices: { history: "Sales", targets: 3, bogus: "x", weights: "  " },
        plan: { levels: ["Region", 7], grain: 4, method: "Equal", methods: { Rep: "Weights", Team: 2 }, unit: "100", stretchRatio: 1.2 },
      }),
    ).toEqual({ choices: { history: "Sales" }, plan: { method: "Equal", methods: { Rep: "Weights" }, stretchRatio: 1.2 } });
  });

  it("keeps values of the right type for the contract to check (and name a cell for)", () => {
    expect(readSetup({ plan: { unit: -5, grain: "Fortnight" } }).plan).toEqual({ unit: -5, grain: "Fortnight" });
  });

  it("drops empty parts", () => {
    expect(compactOverrides({ grain: undefined, methods: {}, unit: 10 })).toEqual({ unit: 10 });
  });

  it("tells changes apart, whatever the key order", () => {
    const a: PaneSetup = { choices: { history: "H", targets: "T" }, plan: { methods: { A: "Equal", B: "History" }, unit: 1 } };
    const b: PaneSetup = { choices: { targets: "T", history: "H" }, plan: { unit: 1, methods: { B: "History", A: "Equal" } } };
    expect(setupKey(a)).toBe(setupKey(b));
    expect(setupKey(a)).not.toBe(setupKey({ ...b, plan: { ...b.plan, unit: 2 } }));
    expect(setupKey(emptySetup())).toBe(setupKey({ choices: {}, plan: { methods: {} } }));
  });
});

describe("two co-authors changing the setup", () => {
  const base: PaneSetup = { choices: { history: "History" }, plan: { grain: "Month", unit: 100, methods: { Rep: "Equal" } } };

  it("keeps my changes and theirs: mine where I changed something since I loaded it, theirs elsewhere", () => {
    const mine: PaneSetup = { choices: { history: "History" }, plan: { grain: "Month", unit: 1000, methods: { Rep: "Equal" } } };
    const theirs: PaneSetup = { choices: { history: "History", actuals: "Sales 2027" }, plan: { grain: "Quarter", unit: 100, methods: { Rep: "Equal", Team: "History" } } };
    expect(mergeSetup(base, mine, theirs)).toEqual({
      choices: { history: "History", actuals: "Sales 2027" },
      plan: { grain: "Quarter", unit: 1000, methods: { Rep: "Equal", Team: "History" } },
    });
  });

  it("removes what I removed, and what they removed when I did not touch it", () => {
    const mine: PaneSetup = { choices: {}, plan: { grain: "Month", unit: 100 } };
    const theirs: PaneSetup = { choices: { history: "History" }, plan: { unit: 100, methods: { Rep: "Equal" } } };
    expect(mergeSetup(base, mine, theirs)).toEqual({ choices: {}, plan: { unit: 100 } });
  });

  it("is mine when the workbook holds none, and theirs when I changed nothing", () => {
    const mine: PaneSetup = { choices: {}, plan: { unit: 5 } };
    expect(mergeSetup(emptySetup(), mine, undefined)).toEqual(mine);
    const theirs: PaneSetup = { choices: { targets: "目标" }, plan: { levels: ["Region", "Rep"] } };
    expect(mergeSetup(base, base, theirs)).toEqual(theirs);
  });
});
