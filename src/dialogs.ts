// Modal questions that guard a user's credentials (a store's new address, secrets leaving for a
// host that is not a store). One place, so that every such question reads alike and so that the
// integration tests, which run VS Code with its smoke-test driver (it refuses every modal), can
// answer them: `answerModalsForTests` is reachable only through the API object activate() returns,
// and that object is only returned when VS Code runs the extension in test or development mode.
import * as vscode from 'vscode';

export interface ModalQuestion {
  message: string;
  detail?: string;
  /** The button that says yes; every other outcome (Cancel, Escape, closing) is no. */
  confirm: string;
}

type Answerer = (question: ModalQuestion) => boolean | undefined;
let testAnswerer: Answerer | undefined;

/** Tests only: answer modal questions (undefined from the answerer: let VS Code show it). */
export function answerModalsForTests(answerer: Answerer | undefined): void {
  testAnswerer = answerer;
}

/** Asks in a modal dialog; true only when the user chose `confirm`. */
export async function confirmModal(question: ModalQuestion): Promise<boolean> {
  const answered = testAnswerer?.(question);
  if (answered !== undefined) return answered;
  const choice = await vscode.window.showWarningMessage(question.message, { modal: true, detail: question.detail }, question.confirm);
  return choice === question.confirm;
}
