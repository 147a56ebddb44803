/**
 * The last line of "never a blank pane": a rendering error shows what happened and a way on,
 * instead of an empty task pane. (Error boundaries are class components in React.)
 */
import * as React from "react";
import { useLocale } from "./locale";
import { ErrorPanel } from "./panels";
import { errorMessage, isLoadError } from "./model/write";

interface BoundaryProps {
  children: React.ReactNode;
}

interface BoundaryState {
  error?: unknown;
}

function Crashed(props: { error: unknown }) {
  const { t } = useLocale();
  if (isLoadError(props.error)) {
    return (
      <ErrorPanel
        message={t("loadFailed", { message: errorMessage(props.error) })}
        actionLabel={t("reload")}
        onAction={() => window.location.reload()}
      />
    );
  }
  return (
    <ErrorPanel
      title={t("crashed", { message: errorMessage(props.error) })}
      message={t("crashedHelp")}
      actionLabel={t("reload")}
      onAction={() => window.location.reload()}
    />
  );
}

export class ErrorBoundary extends React.Component<BoundaryProps, BoundaryState> {
  state: BoundaryState = {};

  static getDerivedStateFromError(error: unknown): BoundaryState {
    return { error: error ?? new Error("unknown error") };
  }

  render() {
    return this.state.error !== undefined ? (
      <Crashed error={this.state.error} />
    ) : (
      this.props.children
    );
  }
}
