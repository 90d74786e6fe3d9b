/** Entry of the fleet dashboard bundle: registers the element; index.html places <anj-fleet-dashboard>. */
import './app.ts';
