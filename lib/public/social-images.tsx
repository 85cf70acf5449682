import { ImageResponse } from "next/og";
import { textDirection, type Locale } from "#lib/core/locales.ts";
import { formatter, OVERALL_KEYS, translator } from "#lib/core/messages.ts";
import { impactMeta, indicatorMeta, isOpenStatus } from "#lib/core/statuses.ts";
import { drawable, layoutText, type TextLayout } from "./shaped-text.ts";
import { statusOf, type Snapshot, type Timeline } from "./statuspage-v2.ts";

/*
 * Open Graph / Twitter card images (1200×630 PNG) through next/og, in the
 * reader's locale. Every piece of text reaches next/og as outlines shaped
 * from the fonts shipped in node_modules (shaped-text.ts), so next/og never
 * looks for a font: with no text node it has nothing to fetch a font or an
 * emoji for. Characters no shipped font has (emoji, scripts beyond Latin,
 * Greek, Cyrillic, Arabic, Hebrew, Devanagari, Thai, CJK, Hangul) are left
 * out rather than drawn as boxes.
 */

export const SOCIAL_IMAGE_SIZE = { width: 1200, height: 630 };
const PADDING = { block: 56, inline: 72 };
const TEXT_WIDTH = SOCIAL_IMAGE_SIZE.width - 2 * PADDING.inline;
// A line box, in ems: room above the baseline for Devanagari's vowel signs, below for Thai's and Arabic's marks.
const ASCENT = 1.15;
const LINE = 1.6;

/** Text as one picture of outlines (shaped-text.ts), at the start of its line: the right for right-to-left text. */
function Text(props: { text: string; size: number; color: string; direction: "ltr" | "rtl" | "auto"; maxLines?: number; maxWidth?: number }) {
  const maxWidth = props.maxWidth ?? TEXT_WIDTH;
  const layout = layoutText(props.text, { ...props, maxWidth, lineHeight: LINE, ascent: ASCENT });
  return layout && <TextImage layout={layout} size={props.size} color={props.color} maxWidth={maxWidth} />;
}

function TextImage(props: { layout: TextLayout; size: number; color: string; maxWidth: number }) {
  const { layout } = props;
  // A word longer than the line is cut at its end: the left for right-to-left text.
  const width = Math.ceil(Math.min(layout.width, props.maxWidth));
  const shift = layout.rtl ? width - layout.width : 0;
  const height = Math.ceil(layout.lines.length * props.size * LINE);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" fill="${props.color}"><g transform="translate(${shift} 0)">${layout.paths}</g></svg>`;
  return (
    // eslint-disable-next-line @next/next/no-img-element -- satori draws <img>, not next/image.
    <img
      src={`data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`}
      width={width}
      height={height}
      alt=""
      style={{ alignSelf: layout.rtl ? "flex-end" : "flex-start" }}
    />
  );
}

/** The title: the largest size at which it fits its lines, else the smallest, cut with an ellipsis. */
function Title(props: { text: string }) {
  const sizes = [
    { size: 68, maxLines: 2 },
    { size: 56, maxLines: 3 },
    { size: 46, maxLines: 3 },
  ];
  for (const [i, { size, maxLines }] of sizes.entries()) {
    const layout = layoutText(props.text, { size, maxLines, direction: "auto", maxWidth: TEXT_WIDTH, lineHeight: LINE, ascent: ASCENT });
    if (layout && (!layout.truncated || i === sizes.length - 1)) return <TextImage layout={layout} size={size} color="#111827" maxWidth={TEXT_WIDTH} />;
  }
  return null;
}

interface CardText {
  site: string;
  title: string;
  label: string;
  color: string;
  footer: string;
}

function Card(props: CardText & { locale: Locale }) {
  const dir = textDirection(props.locale);
  return (
    <div
      style={{
        width: "100%",
        height: "100%",
        display: "flex",
        flexDirection: "column",
        justifyContent: "space-between",
        background: "#ffffff",
        borderTop: `24px solid ${props.color}`,
        padding: `${PADDING.block}px ${PADDING.inline}px`,
      }}
    >
      <Text text={props.site} size={36} color="#4b5563" direction={dir} maxLines={1} />
      <div style={{ display: "flex", flexDirection: "column" }}>
        <Title text={props.title} />
        <div style={{ display: "flex", flexDirection: dir === "rtl" ? "row-reverse" : "row", marginTop: 24 }}>
          <div style={{ display: "flex", background: props.color, padding: "0 26px", borderRadius: 999 }}>
            <Text text={props.label} size={34} color="#ffffff" direction={dir} maxLines={1} />
          </div>
        </div>
      </div>
      <Text text={props.footer} size={28} color="#6b7280" direction={dir} maxLines={1} />
    </div>
  );
}

async function png(card: CardText, locale: Locale): Promise<Uint8Array> {
  const response = new ImageResponse(<Card {...card} locale={locale} />, SOCIAL_IMAGE_SIZE);
  return new Uint8Array(await response.arrayBuffer());
}

/** The site's card: the overall status as the banner states it. */
export function siteImage(s: Snapshot, locale: Locale): Promise<Uint8Array> {
  const t = translator(locale, "social");
  const common = translator(locale, "common");
  const { indicator, description } = statusOf(s);
  const open = s.incidents.filter((i) => isOpenStatus(i.status)).length;
  return png(
    {
      site: t("site", { page: s.page.name }),
      title: common(`overall.${OVERALL_KEYS[description]}`),
      label: t("openIncidents", { count: open }),
      color: indicatorMeta[indicator].color,
      footer: new URL(s.page.url).host,
    },
    locale,
  );
}

/** An incident's card: name, impact colour, current status and the last update's time. */
export function incidentImage(s: Pick<Snapshot, "page">, incident: Timeline, locale: Locale): Promise<Uint8Array> {
  const t = translator(locale, "social");
  const common = translator(locale, "common");
  const last = incident.updates[0]?.display_at ?? incident.updated_at;
  const when = formatter(locale, s.page.time_zone).dateTime(last, {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZoneName: "short",
  });
  const name = drawable(incident.name) ? incident.name : t("untitled");
  return png(
    {
      site: t("site", { page: s.page.name }),
      title: name,
      label: common(`updateStatus.${incident.status}`),
      color: impactMeta[incident.impact].color,
      footer: t("lastUpdate", { when }),
    },
    locale,
  );
}
