/**
 * The two ways the pane speaks up outside the normal flow: an error panel (what went wrong and
 * what to do, never a blank pane) and a notice (why the pane cannot work here).
 */
import * as React from "react";
import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
} from "@fluentui/react-components";

export interface ErrorPanelProps {
  title?: string;
  message: string;
  actionLabel?: string;
  onAction?: () => void;
  children?: React.ReactNode;
}

export function ErrorPanel(props: ErrorPanelProps) {
  return (
    <MessageBar intent="error" layout="multiline" data-testid="error">
      <MessageBarBody>
        {props.title ? <MessageBarTitle>{props.title}</MessageBarTitle> : null}
        {props.title ? " " : null}
        {props.message}
        {props.children}
      </MessageBarBody>
      {props.onAction && props.actionLabel ? (
        <MessageBarActions>
          <Button onClick={props.onAction}>{props.actionLabel}</Button>
        </MessageBarActions>
      ) : null}
    </MessageBar>
  );
}

export function Notice(props: { intent: "info" | "warning"; message: string }) {
  return (
    <MessageBar intent={props.intent} layout="multiline" data-testid="notice">
      <MessageBarBody>{props.message}</MessageBarBody>
    </MessageBar>
  );
}
