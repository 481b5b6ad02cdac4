package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Lang is a language of the report.
type Lang string

// The languages of the report.
const (
	French  Lang = "fr"
	English Lang = "en"
)

// ParseLang parses "fr" or "en".
func ParseLang(s string) (Lang, error) {
	switch Lang(s) {
	case French, English:
		return Lang(s), nil
	case "":
		return French, nil
	}
	return "", fmt.Errorf("report: language %q: want fr or en", s)
}

// separators returns the thousands separator and the decimal mark.
func (l Lang) separators() (group, dec string) {
	if l == English {
		return ",", "."
	}
	return "\u00a0", "," // no-break space: 1 234,5
}

// Number formats x with d decimals, thousands grouped, in the language's
// style: 1 234,5 in French, 1,234.5 in English; negative numbers take a
// minus sign (U+2212), NaN and infinities a dash.
func (l Lang) Number(x float64, d int) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "–"
	}
	group, dec := l.separators()
	// Halves round away from zero (1 234,5 → 1 235), as people expect,
	// not to even as strconv does on exact ties.
	p := math.Pow(10, float64(d))
	s := strconv.FormatFloat(math.Round(math.Abs(x)*p)/p, 'f', d, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	var sb strings.Builder
	if x < 0 && strings.Trim(s, "0.") != "" {
		sb.WriteString("−")
	}
	for i := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			sb.WriteString(group)
		}
		sb.WriteByte(intPart[i])
	}
	if frac != "" {
		sb.WriteString(dec)
		sb.WriteString(frac)
	}
	return sb.String()
}

// Percent formats a share in [0, 1] as a percentage with one decimal:
// 98,9 % in French, 98.9% in English.
func (l Lang) Percent(share float64) string { return l.percent(share, 1) }

func (l Lang) percent(share float64, d int) string {
	s := l.Number(100*share, d)
	if l == English {
		return s + "%"
	}
	return s + "\u00a0%"
}

// Signed formats x with d decimals and a sign (+ or −; 0 has none).
func (l Lang) Signed(x float64, d int) string {
	s := l.Number(x, d)
	if x > 0 && strings.Trim(s, "0., ") != "" {
		return "+" + s
	}
	return s
}

// tr returns the text of key in the language (French when the English one
// is missing), formatted with args.
func (l Lang) tr(key string, args ...any) string {
	m, ok := texts[key]
	if !ok {
		return key
	}
	s := m[0]
	if l == English && m[1] != "" {
		s = m[1]
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// texts are the report's texts: French, English.
var texts = map[string][2]string{
	"title":         {"Accès aux services publics en transport en commun", "Access to public services by public transport"},
	"titleCompare":  {"Évolution de l'accès aux services publics", "Change in access to public services"},
	"subtitle":      {"Date %s, départs %s, seuil %s min, panier : %s", "Date %s, departures %s, threshold %s min, basket: %s"},
	"generated":     {"Rapport produit par vingt %s à partir de %s (aucune connexion réseau n'est nécessaire).", "Report made by vingt %s from %s (no network connection needed)."},
	"navMap":        {"Carte", "Map"},
	"navPlots":      {"Graphiques", "Charts"},
	"navTables":     {"Tableaux", "Tables"},
	"navRun":        {"Paramètres", "Parameters"},
	"navDiff":       {"Différences", "Differences"},
	"map":           {"Carte", "Map"},
	"layers":        {"Couches", "Layers"},
	"gaps":          {"Zones non desservies", "Unserved areas"},
	"points":        {"Points de service : %s", "Service points: %s"},
	"coverage":      {"Couverture", "Coverage"},
	"coverageOf":    {"Couverture (part de la population desservie pour tout le panier)", "Coverage (share of the population served for the whole basket)"},
	"change":        {"Évolution de la couverture (points de %)", "Change in coverage (percentage points)"},
	"noPopulation":  {"sans population", "no population"},
	"zoomIn":        {"Zoom avant", "Zoom in"},
	"zoomOut":       {"Zoom arrière", "Zoom out"},
	"zoomReset":     {"Vue d'ensemble", "Whole map"},
	"mapHelp":       {"Survolez ou touchez un territoire ; molette ou pincement pour zoomer, glisser pour déplacer.", "Hover or tap a territory; wheel or pinch to zoom, drag to pan."},
	"level":         {"Niveau", "Level"},
	"code":          {"Code", "Code"},
	"name":          {"Nom", "Name"},
	"population":    {"Population", "Population"},
	"served":        {"Population desservie", "Population served"},
	"servedFor":     {"Desservie : %s", "Served: %s"},
	"gapPopulation": {"Population non desservie", "Gap population"},
	"oldCoverage":   {"Couverture avant", "Coverage before"},
	"newCoverage":   {"Couverture après", "Coverage after"},
	"changePP":      {"Évolution (pts)", "Change (pp)"},
	"oldGap":        {"Non desservis avant", "Gap before"},
	"newGap":        {"Non desservis après", "Gap after"},
	"gapChange":     {"Évolution", "Change"},
	"cumTitle":      {"%s : population cumulée selon le temps de trajet", "%s: cumulative population by travel time"},
	"cumX":          {"temps de trajet (min)", "travel time (min)"},
	"cumY":          {"population", "population"},
	"threshold":     {"seuil %s min : %s", "threshold %s min: %s"},
	"total":         {"population totale %s (%s au-delà de %s min ou sans accès)", "total population %s (%s beyond %s min or unreachable)"},
	"barsTitle":     {"Couverture par territoire : %s", "Coverage by territory: %s"},
	"closures":      {"Les %d points dont la fermeture coûterait le plus (population desservie uniquement par ce point)", "The %d points whose closure would cost the most (population served only through that point)"},
	"tableTitle":    {"Territoires, du plus grand nombre de non-desservis au plus petit", "Territories, largest gap population first"},
	"filter":        {"Filtrer", "Filter"},
	"filterHint":    {"code, nom…", "code, name…"},
	"sortHint":      {"Cliquez un en-tête pour trier.", "Click a header to sort."},
	"parameters":    {"Paramètres du calcul", "Parameters of the run"},
	"parameter":     {"Paramètre", "Parameter"},
	"value":         {"Valeur", "Value"},
	"inputs":        {"Données d'entrée", "Inputs"},
	"role":          {"Rôle", "Role"},
	"path":          {"Fichier", "File"},
	"bytes":         {"Octets", "Bytes"},
	"counts":        {"Comptes", "Counts"},
	"warnings":      {"Avertissements sur les données", "Input warnings"},
	"noWarnings":    {"Aucun avertissement.", "No warnings."},
	"input":         {"Entrée", "Input"},
	"kind":          {"Nature", "Kind"},
	"count":         {"Nombre", "Count"},
	"examples":      {"Exemples", "Examples"},
	"missing":       {"Ce qui manque", "What is missing"},
	"noLevel":       {"Ce calcul n'a aucun niveau de territoire : pas de carte ni de tableau des territoires.", "This run has no territory level: no map and no territory table."},
	"noCells":       {"Pas de fichier cells.parquet : pas de courbe des temps de trajet.", "No cells.parquet: no travel-time curves."},
	"noManifest":    {"Pas de fichier run.json : paramètres, entrées et avertissements inconnus.", "No run.json: parameters, inputs and warnings unknown."},
	"noGeometry":    {"%d territoire(s) sans géométrie, absents de la carte : %s.", "%d territory(ies) without geometry, left off the map: %s."},
	"noTravelTime":  {"Pas de colonne de temps de trajet pour la catégorie %s.", "No travel-time column for category %s."},
	"noPoints":      {"Pas de fichier points.parquet (calcul sans --impact) : ni points de service ni coût des fermetures.", "No points.parquet (a run without --impact): no service points and no closure costs."},
	"noSole":        {"points.parquet n'a pas de colonne population_sole : pas de coût des fermetures.", "points.parquet has no population_sole column: no closure costs."},
	"diffTitle":     {"Territoires dont la couverture a changé (%d ; plus grand écart %s pts)", "Territories whose coverage changed (%d; largest change %s pp)"},
	"onlyOld":       {"Seulement dans l'ancien calcul : %s", "Only in the old run: %s"},
	"onlyNew":       {"Seulement dans le nouveau calcul : %s", "Only in the new run: %s"},
	"cellFlips":     {"Carreaux : %s appariés, %s seulement avant, %s seulement après ; desservis : %s gagnés, %s perdus.", "Cells: %s matched, %s only before, %s only after; served: %s gained, %s lost."},
	"paramChanges":  {"Paramètres et entrées qui diffèrent", "Parameters and inputs that differ"},
	"before":        {"Avant", "Before"},
	"after":         {"Après", "After"},
	"noChange":      {"Aucun changement.", "No change."},
	"projection":    {"Projection %s ; contours simplifiés pour l'affichage (tolérance %s m), les fichiers Parquet gardent la géométrie complète.", "Projection %s; outlines simplified for display (tolerance %s m); the Parquet files keep the full geometry."},
	"category":      {"Catégorie", "Category"},
	"point":         {"Point", "Point"},
	"sole":          {"Population desservie par ce seul point", "Population served only by this point"},
	"noData":        {"–", "–"},
}
