import "@tenet/ui/styles.css"
import "./app.css"
import "./i18n"
import { QueryClient, QueryClientProvider } from "@tanstack/react-query"
import { RouterProvider } from "@tanstack/react-router"
import { ToastProvider } from "@tenet/ui"
import { StrictMode } from "react"
import { createRoot } from "react-dom/client"
import { router } from "./router"

document.documentElement.dataset.theme = localStorage.getItem("tenet.theme") === "dark" ? "dark" : "light"

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      retry: (count, error) =>
        count < 2 &&
        !("status" in (error as object) && (error as unknown as { status: number }).status < 500),
    },
  },
})

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <ToastProvider>
        <RouterProvider router={router} />
      </ToastProvider>
    </QueryClientProvider>
  </StrictMode>,
)
