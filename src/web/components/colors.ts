/** Status colours dark enough for white text at WCAG AA (4.5:1), checked by axe in the browser tests. */
export const STATUS_COLORS = {
  positive: 'teal.9',
  negative: 'red.9',
  neutral: 'gray.8',
  warning: 'grape.9',
} as const;
