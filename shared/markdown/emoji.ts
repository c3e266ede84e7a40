/**
 * The shortcodes a chat at work uses (GitHub/Slack names). A short table rather than markdown-it-emoji's full one:
 * the full table alone is ~20 KB gzip in the client's Markdown chunk, for codes nobody types.
 */
export const EMOJI_SHORTCODES: Readonly<Record<string, string>> = {
  '+1': '👍', thumbsup: '👍', '-1': '👎', thumbsdown: '👎', ok_hand: '👌', clap: '👏', wave: '👋', pray: '🙏',
  muscle: '💪', raised_hands: '🙌', point_up: '☝️', point_right: '👉', eyes: '👀', handshake: '🤝',
  white_check_mark: '✅', heavy_check_mark: '✔️', x: '❌', warning: '⚠️', exclamation: '❗', question: '❓',
  heart: '❤️', broken_heart: '💔', fire: '🔥', tada: '🎉', rocket: '🚀', star: '⭐', sparkles: '✨', zap: '⚡',
  bulb: '💡', memo: '📝', calendar: '📅', clock: '🕒', hourglass: '⌛', phone: '📞', email: '📧', coffee: '☕',
  pizza: '🍕', beers: '🍻', gift: '🎁', car: '🚗', house: '🏠', sunny: '☀️', umbrella: '☔', snowflake: '❄️',
  smile: '😄', smiley: '😃', grinning: '😀', grin: '😁', laughing: '😆', joy: '😂', rofl: '🤣', wink: '😉',
  blush: '😊', slightly_smiling_face: '🙂', upside_down_face: '🙃', heart_eyes: '😍', thinking: '🤔',
  neutral_face: '😐', confused: '😕', worried: '😟', cry: '😢', sob: '😭', open_mouth: '😮', astonished: '😲',
  scream: '😱', angry: '😠', rage: '😡', sweat_smile: '😅', sunglasses: '😎', sleeping: '😴', facepalm: '🤦',
  shrug: '🤷', see_no_evil: '🙈', hugs: '🤗', partying_face: '🥳', 100: '💯',
};
