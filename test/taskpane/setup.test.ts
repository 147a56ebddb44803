import type { PaneSetup } from "../../src/hosts/addin";
import { compactOverrides, emptySetup, readSetup, setupKey } from "../../src/taskpane/model/setup";

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
