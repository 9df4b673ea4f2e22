import { App, type FormInstance } from 'antd';
import { useCallback } from 'react';
import { ApiError } from '../api/client';
import { applyServerError } from './forms';

/** Shows a failed call: on the form's fields when it concerns them, otherwise as a message. */
export function useShowError() {
  const { message } = App.useApp();
  return useCallback(
    (error: unknown, form?: FormInstance) => {
      if (error instanceof ApiError && error.isSignedOut) return; // the shell sends the person to sign in
      if (form && applyServerError(form, error)) return;
      void message.error(error instanceof Error ? error.message : String(error));
    },
    [message],
  );
}
