import { type Kysely, sql } from "kysely"

/**
 * Teams become records (`core.team`, core's 0005): every free-text team a case, a customer's
 * dedicated team or an escalation step names gets a team whose id is that text, so the values on
 * the cases stay as they are and now refer to a team by id. Values past 200 characters (which
 * intake has refused since 0.3) are not keys of anything and get no team.
 */
export const up = async (db: Kysely<unknown>) => {
  await sql`
    insert into core.team (org_id, id, name_zh, name_en)
    select distinct org_id, team, team, team from (
      select org_id, team from process.case where team is not null
      union select org_id, dedicated_team from process.customer where dedicated_team is not null
      union select v.org_id, e->>'team'
        from process.sla_policy_version v,
          jsonb_array_elements(case when jsonb_typeof(v.definition->'escalations') = 'array'
            then v.definition->'escalations' else '[]'::jsonb end) e
        where e->>'team' is not null
    ) t (org_id, team)
    where length(team) between 1 and 200
    on conflict (org_id, id) do nothing
  `.execute(db)
}
export const down = async (_db: Kysely<unknown>) => {
  // the teams stay: other modules may refer to them by now
}
