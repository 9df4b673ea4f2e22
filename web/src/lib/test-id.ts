import type { ButtonProps } from 'antd';

/** Button props carrying a data-testid (antd's okButtonProps and friends are typed without data attributes). */
export function buttonTestId(id: string): ButtonProps {
  const props: ButtonProps & { 'data-testid': string } = { 'data-testid': id };
  return props;
}
