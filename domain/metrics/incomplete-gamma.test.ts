import { describe, expect, it } from 'vitest';
import { logGamma, logRegularizedLowerGamma } from './incomplete-gamma.ts';

const P = (a: number, x: number) => Math.exp(logRegularizedLowerGamma(a, x));

describe('log-gamma', () => {
  it('matches factorials and Γ(½) = √π', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(11)).toBeCloseTo(Math.log(3_628_800), 11);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
    expect(logGamma(1e-8)).toBeCloseTo(-Math.log(1e-8), 6);
  });
});

describe('regularized lower incomplete gamma', () => {
  it('matches closed forms on both sides of x = a + 1 (series and continued fraction)', () => {
    expect(P(1, 0.3)).toBeCloseTo(1 - Math.exp(-0.3), 14);
    expect(P(1, 2)).toBeCloseTo(1 - Math.exp(-2), 14);
    expect(P(3, 2)).toBeCloseTo(1 - 5 * Math.exp(-2), 14); // 1 − e^−x (1 + x + x²/2)
    expect(P(3, 9)).toBeCloseTo(1 - Math.exp(-9) * (1 + 9 + 40.5), 14);
    expect(logRegularizedLowerGamma(2, 0)).toBe(-Infinity);
  });
  it('stays accurate for arguments in the millions (P(a, a) ≈ ½ + 1/(3√(2πa)))', () => {
    const a = 1e6;
    expect(P(a, a)).toBeCloseTo(0.5 + 1 / (3 * Math.sqrt(2 * Math.PI * a)), 6);
    expect(logRegularizedLowerGamma(a, 0.5 * a)).toBeLessThan(-1e5); // far left tail, finite in logs
  });
});
