// US states (and DC, Puerto Rico) by name as letters only, to their two-letter codes: Facebook
// matches US states by code ("ca"), while queries often hold the name ("California").
const STATES = "alabama:al alaska:ak arizona:az arkansas:ar california:ca colorado:co connecticut:ct delaware:de " +
  "districtofcolumbia:dc florida:fl georgia:ga hawaii:hi idaho:id illinois:il indiana:in iowa:ia kansas:ks " +
  "kentucky:ky louisiana:la maine:me maryland:md massachusetts:ma michigan:mi minnesota:mn mississippi:ms " +
  "missouri:mo montana:mt nebraska:ne nevada:nv newhampshire:nh newjersey:nj newmexico:nm newyork:ny " +
  "northcarolina:nc northdakota:nd ohio:oh oklahoma:ok oregon:or pennsylvania:pa puertorico:pr rhodeisland:ri " +
  "southcarolina:sc southdakota:sd tennessee:tn texas:tx utah:ut vermont:vt virginia:va washington:wa " +
  "westvirginia:wv wisconsin:wi wyoming:wy";

export const US_STATES: ReadonlyMap<string, string> = new Map(
  STATES.split(" ").map((pair) => pair.split(":") as [string, string]));
