import { defineConfig } from "vite";

// Relative URLs: Streamlit serves the component from /component/<name>/, not from /.
// Fixed file names (no content hashes) so a rebuild shows as a plain diff of dist/.
export default defineConfig({
  base: "./",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2020",
    sourcemap: false,
    rollupOptions: {
      output: {
        entryFileNames: "assets/canvas.js",
        chunkFileNames: "assets/[name].js",
        assetFileNames: "assets/[name][extname]",
      },
    },
  },
});
