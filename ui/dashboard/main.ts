/** Entry of the staff dashboard bundle: registers the elements; index.html places <anj-dashboard>. */
import './app.ts';
