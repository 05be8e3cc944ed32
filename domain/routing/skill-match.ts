// Skills with proficiency, relaxed as the caller waits.
import type { AgentSkill, RelaxationStep, SkillRequirement } from '../shared/contact-center.ts';

/** The requirements in force after waiting `waitedSeconds`, and the index of their step (-1: no steps, anyone). */
export function currentRequirements(
  steps: readonly RelaxationStep[],
  waitedSeconds: number,
): { readonly step: number; readonly requirements: readonly SkillRequirement[] } {
  if (steps.length === 0) return { step: -1, requirements: [] };
  // Steps may arrive unsorted: pick the latest start that has passed, else the earliest step.
  let best = -1;
  let earliest = 0;
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i]!;
    if (s.afterSeconds < steps[earliest]!.afterSeconds) earliest = i;
    if (s.afterSeconds <= waitedSeconds && (best === -1 || s.afterSeconds >= steps[best]!.afterSeconds)) best = i;
  }
  const step = best === -1 ? earliest : best;
  return { step, requirements: steps[step]!.requirements };
}

/** Seconds of waiting after which no further step applies (relaxation complete). */
export function relaxationCompleteAfter(steps: readonly RelaxationStep[]): number {
  return steps.reduce((m, s) => Math.max(m, s.afterSeconds), 0);
}

/** The wait (seconds) at which the next step starts, or undefined when no later step exists. */
export function nextRelaxationAt(steps: readonly RelaxationStep[], waitedSeconds: number): number | undefined {
  let next: number | undefined;
  for (const s of steps) if (s.afterSeconds > waitedSeconds && (next === undefined || s.afterSeconds < next)) next = s.afterSeconds;
  return next;
}

/** True when the agent holds every required skill at or above its minimum proficiency. */
export function meetsRequirements(skills: readonly AgentSkill[], requirements: readonly SkillRequirement[]): boolean {
  return requirements.every((r) => skills.some((s) => s.skill === r.skill && s.proficiency >= r.minProficiency));
}
