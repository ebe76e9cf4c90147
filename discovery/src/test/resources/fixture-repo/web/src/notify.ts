import { WebClient } from '@slack/web-api';
import * as Sentry from "@sentry/node";
import {
  OpenAI,
  toFile,
} from 'openai';
import { helper } from './helper';

const sg = require('@sendgrid/mail');
const WEBHOOK = "https://hooks.slack.com/services/T00000000/B00000000/abcdefghijklmnopqrstuvwx";
const CHAT = 'https://api.openai.com/v1/chat/completions';
const slack = new WebClient(process.env.SLACK_TOKEN);
