import { describe, expect, it } from "vitest";
import { withoutEmoji } from "#lib/public/social-images.tsx";

/* Emoji would make next/og fetch images from a CDN; they are removed, every other script kept. */
describe("withoutEmoji", () => {
  it("removes pictographs, ZWJ sequences, skin tones, flags and keycaps", () => {
    expect(withoutEmoji("Fire 🔥 drill")).toBe("Fire drill");
    expect(withoutEmoji("Team 👩‍💻 on it 👍🏽")).toBe("Team on it");
    expect(withoutEmoji("Region 🇯🇵 down")).toBe("Region down");
    expect(withoutEmoji("Step 1️⃣ done ✅")).toBe("Step 1 done");
    expect(withoutEmoji("Warning ⚠️ heat ♨️")).toBe("Warning heat");
  });

  it("keeps Latin, accents, CJK, kana and Hangul", () => {
    const text = "Café outage: 東京 データセンター 障害 Zürich naïve 서울";
    expect(withoutEmoji(`${text} 🚒`)).toBe(text);
  });
});
