// English, with Folio's own messages beside react-admin's. Another locale = another messages object.
import polyglotI18nProvider from 'ra-i18n-polyglot';
import englishMessages from 'ra-language-english';
import type { TranslationMessages } from 'react-admin';

const folioEnglish = {
  ...englishMessages,
  ra: {
    ...englishMessages.ra,
    auth: { ...englishMessages.ra.auth, username: 'Email' },
    message: {
      ...englishMessages.ra.message,
      unsaved_changes: 'Your changes are not saved yet. Leave this page anyway?',
    },
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
    invitation: {
      title: 'Join Folio',
      subtitle: 'You have been invited as %{email}. Choose your password to finish.',
      invalid: 'This invitation link is invalid, was already used or has expired. Ask an administrator for a new one.',
      submit: 'Join',
      done: 'Welcome to Folio!',
    },
    password: {
      forgot: 'Forgot your password?',
      forgot_title: 'Reset your password',
      forgot_subtitle: "Enter your account's email: we will send you a link to choose a new password.",
      send_link: 'Send the link',
      sent: 'If an account uses this email, a link to reset its password is on its way.',
      back_to_login: 'Back to sign in',
      reset_title: 'Choose a new password',
      new: 'New password',
      reset_submit: 'Change the password',
      changed: 'Your password has been changed. Sign in with it.',
    },
    dashboard: {
      title: 'Home',
      greeting: 'Hello, %{name}',
      intro:
        'This is your Folio dashboard: model your content, write it, publish it, and read it from the Content API.',
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
    content: {
      save: 'Save',
      save_draft: 'Save draft',
      publish: 'Publish',
      unpublish: 'Unpublish',
      discard: 'Discard changes',
      published: 'Published',
      unpublished: 'Unpublished',
      discarded: 'Changes discarded',
      saved_and_published: 'Saved and published',
      created_and_published: 'Created and published',
      not_published: 'Saved as a draft, but not published: %{message}',
      new_entry: 'New %{type}',
      untitled: 'Untitled',
      status: {
        draft: 'Draft',
        published: 'Published',
        modified: 'Modified',
        modified_hint: 'Changed since it was published',
        unsaved: 'Unsaved changes',
      },
      panel: {
        label: 'Entry',
        created: 'Created',
        updated: 'Last saved',
        published_at: 'Published',
        by: '%{date} by %{name}',
        locale: 'Locale',
        new_locale: '%{locale} (new)',
        shortcut: 'Ctrl+S or ⌘S saves',
      },
      draft: {
        restored: 'Your unsaved changes from %{time} are back.',
        discard: 'Discard them',
        stale:
          'You have unsaved changes from %{time}, made before this entry was saved again. Restoring them puts ' +
          'them over that newer version once you save.',
        restore: 'Restore them',
      },
    },
  },
} as TranslationMessages;

export const i18nProvider = polyglotI18nProvider(() => folioEnglish, 'en', [{ locale: 'en', name: 'English' }], {
  allowMissing: true,
});
