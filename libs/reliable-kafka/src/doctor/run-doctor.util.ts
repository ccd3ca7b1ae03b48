import { collectDoctorFacts, type DoctorAdmin, type DoctorInput } from './collect-doctor-facts.util';
import type { DoctorReport } from './doctor-report';
import { evaluateDoctor } from './evaluate-doctor.util';

/** Collects the facts with a connected admin client and evaluates every rule. */
export async function runDoctor(admin: DoctorAdmin, input: DoctorInput): Promise<DoctorReport> {
  return evaluateDoctor(await collectDoctorFacts(admin, input));
}
