/** Entry of the kiosk UI bundle: registers the elements; index.html places <anj-app>. */
import './app.ts';
