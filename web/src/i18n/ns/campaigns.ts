/** Strings of survey campaigns (满意度调查活动). */
import type { Shape } from './shape';

export const zh = {
  title: '满意度调查活动',
  nav: '调查活动',
};

export const en: Shape<typeof zh> = {
  title: 'Satisfaction campaigns',
  nav: 'Campaigns',
};
