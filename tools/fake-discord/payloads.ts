/**
 * Builders for the gateway payloads a test dispatches: slash commands,
 * autocomplete, button clicks and user messages, shaped like Discord's.
 *
 * A slash command's option may be a file: pass the attachment object from
 * `fake.addAttachment(…)` as the value. Discord sends such an option as
 * `{ type: 11, value: <attachment id> }` and the attachment itself in
 * `data.resolved.attachments`, where discord.js's `getAttachment` finds it.
 */
import type { FakeDiscord } from './server.js';
import { ChannelType } from './server.js';
import { snowflake } from './snowflake.js';
import type { FakeAttachment, FakeChannel, FakeMessage, FakeUser, Json, JsonObject } from './types.js';

/** Interaction types. */
export const InteractionType = { Ping: 1, ApplicationCommand: 2, MessageComponent: 3, Autocomplete: 4 } as const;

/** Option types for slash command options. */
const OptionType = {
  SubCommand: 1,
  SubCommandGroup: 2,
  String: 3,
  Integer: 4,
  Boolean: 5,
  Number: 10,
  Attachment: 11,
} as const;

/** Every permission bit: what a server's owner or an admin has (the default member of a test). */
export const ALL_PERMISSIONS = String((1n << 51n) - 1n);
/** A plain member: read and send messages, no Manage Channels (1 << 4) or Manage Server (1 << 5). */
export const MEMBER_PERMISSIONS = String(
  (1n << 10n) | (1n << 11n) | (1n << 14n) | (1n << 15n) | (1n << 16n) | (1n << 31n),
);

export type OptionValue = string | number | boolean;
/** A slash command option's value: a scalar, or a file (an attachment from `fake.addAttachment`). */
export type CommandOptionValue = OptionValue | FakeAttachment;

/** Where an interaction or message happens. */
export interface Place {
  user?: FakeUser;
  /** A guild channel (default: general) … */
  channel?: FakeChannel;
  /** … or a DM with `user`. */
  dm?: boolean;
  /** The member's permissions in the channel (default {@link ALL_PERMISSIONS}). */
  permissions?: string;
}

const commandIds = new Map<string, string>();

function placeFields(fake: FakeDiscord, place: Place): JsonObject {
  const user = place.user ?? fake.world.users.alice;
  if (place.dm) {
    const dmChannel = dmChannelFor(fake, user);
    return {
      channel_id: dmChannel.id,
      channel: dmChannel as unknown as Json,
      user: user as unknown as Json,
      context: 1,
      authorizing_integration_owners: { '0': fake.world.guildId },
    };
  }
  const channel = place.channel ?? fake.world.general;
  const guildId = channel.guild_id ?? fake.world.guildId;
  return {
    guild_id: guildId,
    channel_id: channel.id,
    channel: channel as unknown as Json,
    member: {
      user: user as unknown as Json,
      roles: [],
      permissions: place.permissions ?? ALL_PERMISSIONS,
      joined_at: new Date(0).toISOString(),
      deaf: false,
      mute: false,
      flags: 0,
    },
    guild: { id: guildId, locale: 'en-US', features: [] },
    guild_locale: 'en-US',
    context: 0,
    authorizing_integration_owners: { '0': guildId },
  };
}

const dmChannels = new Map<string, FakeChannel>();

/** The DM channel between the bot and `user` (stable per user). */
export function dmChannelFor(fake: FakeDiscord, user: FakeUser): FakeChannel {
  let channel = dmChannels.get(`${fake.world.applicationId}:${user.id}`);
  if (!channel) {
    channel = { id: snowflake(), type: ChannelType.DM, recipients: [user], last_message_id: null };
    dmChannels.set(`${fake.world.applicationId}:${user.id}`, channel);
  }
  if (!fake.channels.has(channel.id)) fake.channels.set(channel.id, channel);
  return channel;
}

function base(
  fake: FakeDiscord,
  type: number,
  data: JsonObject,
  place: Place,
): JsonObject & { id: string; token: string; channel_id: string } {
  return {
    id: snowflake(),
    application_id: fake.world.applicationId,
    type,
    data,
    token: `itoken-${snowflake()}`,
    version: 1,
    app_permissions: '2248473465835073',
    locale: 'en-US',
    entitlements: [],
    attachment_size_limit: 10_485_760,
    ...placeFields(fake, place),
  } as unknown as JsonObject & { id: string; token: string; channel_id: string };
}

function toOptions(options: Record<string, CommandOptionValue | undefined>, focused?: string): Json[] {
  return Object.entries(options)
    .filter((entry): entry is [string, CommandOptionValue] => entry[1] !== undefined)
    .map(([name, value]) =>
      typeof value === 'object'
        ? { name, type: OptionType.Attachment, value: value.id }
        : {
            name,
            type:
              name === focused
                ? OptionType.String
                : typeof value === 'boolean'
                  ? OptionType.Boolean
                  : typeof value === 'number'
                    ? Number.isInteger(value)
                      ? OptionType.Integer
                      : OptionType.Number
                    : OptionType.String,
            value,
            ...(name === focused ? { focused: true } : {}),
          },
    );
}

/** `data.resolved` for the options that are files: `{ attachments: { [id]: attachment } }`, or nothing. */
function resolvedAttachments(options: Record<string, CommandOptionValue | undefined>): JsonObject {
  const files = Object.values(options).filter((value): value is FakeAttachment => typeof value === 'object');
  if (files.length === 0) return {};
  return { resolved: { attachments: Object.fromEntries(files.map((file) => [file.id, file as unknown as Json])) } };
}

/**
 * The command's name and options as Discord nests them: `"club start"` is the command `club`
 * with the subcommand `start` holding the options (`"a b c"`: group `b`, subcommand `c`).
 */
function commandData(name: string, options: Json[]): { name: string; options: Json[] } {
  const [command, ...path] = name.trim().split(/\s+/);
  let nested = options;
  for (let i = path.length - 1; i >= 0; i--) {
    const type = i === path.length - 1 ? OptionType.SubCommand : OptionType.SubCommandGroup;
    nested = [{ name: path[i]!, type, options: nested }];
  }
  return { name: command!, options: nested };
}

function commandIdOf(name: string): string {
  let commandId = commandIds.get(name);
  if (!commandId) commandIds.set(name, (commandId = snowflake()));
  return commandId;
}

/**
 * A chat-input (slash) command interaction: `/name option:value …` (`"club start"` for a subcommand).
 * A value that is an attachment object (from `fake.addAttachment`) is sent as a file option.
 */
export function slashCommand(
  fake: FakeDiscord,
  name: string,
  options: Record<string, CommandOptionValue | undefined> = {},
  place: Place = {},
): JsonObject & { id: string; token: string; channel_id: string } {
  const data = commandData(name, toOptions(options));
  return base(
    fake,
    InteractionType.ApplicationCommand,
    { id: commandIdOf(data.name), type: 1, ...data, ...resolvedAttachments(options) },
    place,
  );
}

/** An autocomplete interaction for `/name` while the user types into option `focused`. */
export function autocomplete(
  fake: FakeDiscord,
  name: string,
  options: Record<string, OptionValue | undefined>,
  focused: string,
  place: Place = {},
): JsonObject & { id: string; token: string; channel_id: string } {
  const data = commandData(name, toOptions(options, focused));
  return base(fake, InteractionType.Autocomplete, { id: commandIdOf(data.name), type: 1, ...data }, place);
}

/** A click on the button `customId` of `message` (a message the bot sent, from `fake.messages`). */
export function buttonClick(
  fake: FakeDiscord,
  message: FakeMessage,
  customId: string,
  place: Place = {},
): JsonObject & { id: string; token: string; channel_id: string } {
  const channel = fake.channels.get(message.channel_id);
  const where: Place =
    channel?.type === ChannelType.DM ? { ...place, dm: true } : { ...place, channel: channel ?? fake.world.general };
  return {
    ...base(fake, InteractionType.MessageComponent, { custom_id: customId, component_type: 2 }, where),
    message: message as unknown as Json,
  } as JsonObject & { id: string; token: string; channel_id: string };
}

/** Every button custom id on a message, in order. */
export function buttonIds(message: { components?: unknown }): string[] {
  const rows = (message.components ?? []) as Array<{ components?: Array<{ custom_id?: string }> }>;
  return rows.flatMap((row) =>
    (row.components ?? []).map((c) => c.custom_id).filter((id): id is string => Boolean(id)),
  );
}

/** Every button on a message: label, custom id, style and disabled state. */
export function buttons(message: {
  components?: unknown;
}): Array<{ label?: string; custom_id?: string; style?: number; disabled?: boolean }> {
  const rows = (message.components ?? []) as Array<{
    components?: Array<{ label?: string; custom_id?: string; style?: number; disabled?: boolean }>;
  }>;
  return rows.flatMap((row) => row.components ?? []);
}

export interface UserMessageOptions extends Place {
  content: string;
  /** Users mentioned (their `<@id>` should be in `content`); the bot's mention is detected from content automatically. */
  mentions?: FakeUser[];
  /** Makes the message a reply to this message. */
  replyTo?: FakeMessage;
  /** Whether a reply pings its author (Discord's default); adds them to `mentions`. */
  replyPing?: boolean;
  /** Author; default alice. */
  author?: FakeUser;
}

/** A user's message, as MESSAGE_CREATE delivers it. */
export function userMessage(fake: FakeDiscord, options: UserMessageOptions): FakeMessage {
  const author = options.author ?? options.user ?? fake.world.users.alice;
  const channel = options.dm ? dmChannelFor(fake, author) : (options.channel ?? fake.world.general);
  const mentions = [...(options.mentions ?? [])];
  if (options.content.includes(`<@${fake.world.bot.id}>`) || options.content.includes(`<@!${fake.world.bot.id}>`)) {
    mentions.push(fake.world.bot);
  }
  if (options.replyTo && (options.replyPing ?? true) && !mentions.some((m) => m.id === options.replyTo!.author.id)) {
    mentions.push(options.replyTo.author);
  }
  const roles = [...options.content.matchAll(/<@&(\d+)>/g)].map((m) => m[1]!);
  return {
    id: snowflake(),
    channel_id: channel.id,
    // Discord sends channel_type on MESSAGE_CREATE; discord.js needs it to build an uncached DM channel.
    channel_type: channel.type,
    ...(options.dm
      ? {}
      : {
          guild_id: channel.guild_id ?? fake.world.guildId,
          member: { roles: [], joined_at: new Date(0).toISOString(), deaf: false, mute: false, flags: 0 },
        }),
    author,
    content: options.content,
    embeds: [],
    components: [],
    flags: 0,
    mentions,
    mention_roles: roles,
    // Discord sets this only when the author may ping everyone; members of a
    // reading group usually cannot, and the bot must not depend on it anyway.
    mention_everyone: false,
    pinned: false,
    type: options.replyTo ? 19 : 0,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    attachments: [],
    ...(options.replyTo
      ? {
          message_reference: {
            type: 0,
            message_id: options.replyTo.id,
            channel_id: options.replyTo.channel_id,
            ...(options.replyTo.guild_id ? { guild_id: options.replyTo.guild_id } : {}),
          },
          referenced_message: options.replyTo,
        }
      : {}),
  };
}
