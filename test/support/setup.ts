import fc from 'fast-check';

// Property tests are deterministic in CI: one seed for every fc.assert that sets none itself.
// Set FC_SEED to explore other inputs locally.
fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261124) });
