/** A short two-tone chime made with WebAudio: no asset to download, nothing when audio is unavailable. */
let audio: AudioContext | null = null;

export function playChime(): void {
  try {
    audio ??= new AudioContext();
    const now = audio.currentTime;
    const gain = audio.createGain();
    gain.connect(audio.destination);
    gain.gain.setValueAtTime(0.0001, now);
    gain.gain.exponentialRampToValueAtTime(0.15, now + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, now + 0.35);
    for (const [frequency, start] of [[880, 0], [1320, 0.12]] as const) {
      const tone = audio.createOscillator();
      tone.frequency.value = frequency;
      tone.connect(gain);
      tone.start(now + start);
      tone.stop(now + start + 0.2);
    }
  } catch {
    // Autoplay refused before any user gesture, or no audio device: the notification alone must do.
  }
}
