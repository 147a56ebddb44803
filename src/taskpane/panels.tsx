/**
 * The two ways the pane speaks up outside the normal flow: an error panel (what went wrong and
 * what to do, never a blank pane) and a notice (why the pane cannot work here); and two pieces
 * every step's write uses: the confirm buttons under a preview, and the links to the sheets written.
 */
import * as React from "react";
import {
  Button,
  Link,
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

/** The primary action under a preview (Write) and Cancel, both off while it runs. */
export function ConfirmButtons(props: {
  className?: string;
  confirmLabel: string;
  cancelLabel: string;
  confirmTestId: string;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <div className={props.className}>
      <Button
        appearance="primary"
        data-testid={props.confirmTestId}
        disabled={props.busy}
        onClick={props.onConfirm}
      >
        {props.confirmLabel}
      </Button>
      <Button disabled={props.busy} onClick={props.onCancel}>
        {props.cancelLabel}
      </Button>
    </div>
  );
}

/** A link to each sheet written; a click shows the sheet. */
export function SheetLinks(props: {
  className?: string;
  names: readonly string[];
  onOpen: (name: string) => void;
  testId?: string;
}) {
  return (
    <ul className={props.className}>
      {props.names.map((name) => (
        <li key={name}>
          <Link
            as="button"
            data-testid={props.testId ?? "sheet-link"}
            onClick={() => props.onOpen(name)}
          >
            {name}
          </Link>
        </li>
      ))}
    </ul>
  );
}
