import { htmlLang, luminance, paneLang, parseColor, themeBase } from "../../src/taskpane/model/locale";

describe("the pane follows Office's display language", () => {
  it.each<[string | undefined | null, "en" | "zh"]>([
    ["zh-CN", "zh"],
    ["zh-TW", "zh"],
    ["ZH-hans", "zh"],
    [" zh", "zh"],
    ["en-US", "en"],
    ["de-DE", "en"],
    ["ja-JP", "en"],
    ["", "en"],
    [undefined, "en"],
    [null, "en"],
  ])("%j → %s", (displayLanguage, lang) => {
    expect(paneLang(displayLanguage)).toBe(lang);
  });

  it("tags the page for screen readers", () => {
    expect(htmlLang("zh")).toBe("zh-CN");
    expect(htmlLang("en")).toBe("en-US");
  });
});

describe("the pane follows Office's theme", () => {
  it.each<[Record<string, string> | undefined, "light" | "dark"]>([
    [undefined, "light"],
    [{}, "light"],
    [{ bodyBackgroundColor: "#FFFFFF", bodyForegroundColor: "#000000" }, "light"],
    // Office's Colorful and Dark Gray themes, and Black.
    [{ bodyBackgroundColor: "#E6E6E6" }, "light"],
    [{ bodyBackgroundColor: "#444444", bodyForegroundColor: "#FFFFFF" }, "dark"],
    [{ bodyBackgroundColor: "#262626" }, "dark"],
    [{ bodyBackgroundColor: "#000" }, "dark"],
    [{ bodyBackgroundColor: "not a colour" }, "light"],
  ])("%j → %s", (office, base) => {
    expect(themeBase(office)).toBe(base);
  });

  it("reads #RGB and #RRGGBB colours", () => {
    expect(parseColor("#fff")).toEqual([255, 255, 255]);
    expect(parseColor("0F6CBD")).toEqual([15, 108, 189]);
    expect(parseColor("#12345")).toBeUndefined();
    expect(luminance([255, 255, 255])).toBeCloseTo(1);
    expect(luminance([0, 0, 0])).toBe(0);
  });
});
