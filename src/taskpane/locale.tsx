/**
 * The pane's language for every component: `useLocale().t(key, args)` gives the string from
 * src/i18n/pane.ts in the Office display language.
 */
import * as React from "react";
import type { Lang } from "../i18n";
import { paneText, type PaneArgs, type PaneStringKey } from "../i18n/pane";

export interface PaneLocale {
  lang: Lang;
  t: (key: PaneStringKey, args?: PaneArgs) => string;
}

export function localeFor(lang: Lang): PaneLocale {
  return { lang, t: (key, args) => paneText(lang, key, args) };
}

const LocaleContext = React.createContext<PaneLocale>(localeFor("en"));

export function LocaleProvider(props: { lang: Lang; children: React.ReactNode }) {
  const value = React.useMemo(() => localeFor(props.lang), [props.lang]);
  return <LocaleContext.Provider value={value}>{props.children}</LocaleContext.Provider>;
}

export function useLocale(): PaneLocale {
  return React.useContext(LocaleContext);
}
