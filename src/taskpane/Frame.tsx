/**
 * Everything around the steps: the Fluent theme that follows Office's, the language, the
 * heading, and the error boundary that keeps the pane from ever going blank.
 */
import * as React from "react";
import {
  FluentProvider,
  makeStyles,
  Text,
  tokens,
  webDarkTheme,
  webLightTheme,
} from "@fluentui/react-components";
import type { Lang } from "../i18n";
import { ErrorBoundary } from "./ErrorBoundary";
import { LocaleProvider, useLocale } from "./locale";
import { htmlLang, type ThemeBase } from "./model/locale";

const useStyles = makeStyles({
  root: {
    minHeight: "100vh",
    boxSizing: "border-box",
    padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalL}`,
    "& h2": {
      fontSize: tokens.fontSizeBase500,
      lineHeight: tokens.lineHeightBase500,
      fontWeight: tokens.fontWeightSemibold,
      margin: `0 0 ${tokens.spacingVerticalS}`,
    },
    "& h3": {
      fontSize: tokens.fontSizeBase400,
      lineHeight: tokens.lineHeightBase400,
      fontWeight: tokens.fontWeightSemibold,
      margin: `${tokens.spacingVerticalL} 0 ${tokens.spacingVerticalS}`,
    },
    "& h4": {
      fontSize: tokens.fontSizeBase300,
      lineHeight: tokens.lineHeightBase300,
      fontWeight: tokens.fontWeightSemibold,
      margin: `${tokens.spacingVerticalM} 0 ${tokens.spacingVerticalXS}`,
    },
  },
  header: {
    display: "flex",
    alignItems: "center",
    gap: tokens.spacingHorizontalS,
    marginBottom: tokens.spacingVerticalM,
  },
  title: {
    fontSize: tokens.fontSizeBase500,
    lineHeight: tokens.lineHeightBase500,
    fontWeight: tokens.fontWeightSemibold,
    margin: 0,
  },
  tagline: {
    display: "block",
    color: tokens.colorNeutralForeground2,
  },
});

function Header() {
  const { t } = useLocale();
  const styles = useStyles();
  return (
    <header className={styles.header}>
      <img src="assets/icon-32.png" width={32} height={32} alt="" />
      <div>
        <h1 className={styles.title}>{t("appTitle")}</h1>
        <Text size={200} className={styles.tagline}>
          {t("appTagline")}
        </Text>
      </div>
    </header>
  );
}

export interface FrameProps {
  lang: Lang;
  theme: ThemeBase;
  children: React.ReactNode;
}

export function Frame({ lang, theme, children }: FrameProps) {
  const styles = useStyles();
  return (
    // Layout goes on a div inside the provider: Fluent copies the provider's classes to the
    // mount node of its popups (dropdown lists), which must not cover the page.
    <FluentProvider theme={theme === "dark" ? webDarkTheme : webLightTheme} lang={htmlLang(lang)}>
      <LocaleProvider lang={lang}>
        <div className={styles.root}>
          <Header />
          <main>
            <ErrorBoundary>{children}</ErrorBoundary>
          </main>
        </div>
      </LocaleProvider>
    </FluentProvider>
  );
}
