// English, with Folio's own messages beside react-admin's. Another locale = another messages object.
import polyglotI18nProvider from 'ra-i18n-polyglot';
import englishMessages from 'ra-language-english';
import type { TranslationMessages } from 'react-admin';

const folioEnglish = {
  ...englishMessages,
  ra: {
    ...englishMessages.ra,
    auth: { ...englishMessages.ra.auth, username: 'Email' },
  },
  folio: {
    auth: {
      sign_in_title: 'Sign in to Folio',
      sign_in_subtitle: 'Use the email and password of your Folio account.',
      email: 'Email',
      password: 'Password',
      sign_in: 'Sign in',
      invalid: 'Wrong email or password.',
      session_expired: 'Your session has expired. Please sign in again.',
    },
    register: {
      title: 'Welcome to Folio',
      subtitle: 'Create the first administrator account. It will have every permission (Super Admin).',
      firstname: 'First name',
      lastname: 'Last name',
      email: 'Email',
      password: 'Password',
      password_help: 'At least 8 characters. A passphrase is best.',
      confirm: 'Confirm password',
      mismatch: 'The passwords do not match.',
      weak: 'A password needs at least 8 characters.',
      submit: "Let's start",
      closed: 'An administrator already exists. Sign in instead.',
      go_to_login: 'Go to sign in',
      done: 'Welcome! Your administrator account is ready.',
    },
    dashboard: {
      title: 'Home',
      greeting: 'Hello, %{name}',
      intro: 'This is your Folio dashboard: model your content, write it, publish it, and read it from the Content API.',
      api_title: 'Content API',
      api_text: 'Your published content is served as JSON here:',
      status_title: 'Server',
      status_ok: 'Running on %{dialect}, database answering in %{latency} ms.',
      status_down: 'The database does not answer.',
      status_unknown: 'Checking…',
      uptime: 'Up for %{duration}',
      account_title: 'Your account',
      roles: 'Roles',
      copy: 'Copy',
      copied: 'Copied to the clipboard',
    },
  },
} as TranslationMessages;

export const i18nProvider = polyglotI18nProvider(() => folioEnglish, 'en', [{ locale: 'en', name: 'English' }], { allowMissing: true });
